using Microsoft.ML;
using Microsoft.ML.Data;

namespace VqVaeMl.MlNet;

/// <summary>Schema definitions that give the typed rows their model-dependent vector sizes.</summary>
public static class VqVaeSchemas
{
    /// <summary>Codes in: int64 [h·w]. ApplyOnnxModel refuses a variable-length input column.</summary>
    public static SchemaDefinition CodesInput(VqVaeModelFolder model)
    {
        var schema = SchemaDefinition.Create(typeof(VqVaeCodesInput));
        schema[OnnxContract.Codes].ColumnType = new VectorDataViewType(NumberDataViewType.Int64, model.CodeCount);
        return schema;
    }
}
