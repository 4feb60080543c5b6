using Microsoft.ML.Data;

namespace VqVaeMl.MlNet;

// Typed rows for PredictionEngine and CreateEnumerable. Vector sizes depend on the model, so they carry
// no [VectorType] size: inputs get theirs from VqVaeSchemas, outputs take the pipeline's.
// The reconstruction MLImage is not a field here: ML.NET's typed rows need [ImageType(height, width)]
// with compile-time sizes; read it from a transformed IDataView instead (VqVaeColumns.ReconstructionImage).

/// <summary>One image to score.</summary>
public sealed class VqVaeImageInput
{
    [ColumnName(VqVaeColumns.ImagePath)] public string ImagePath { get; set; } = "";
}

/// <summary>What the full pipeline yields for one image.</summary>
public sealed class VqVaePrediction
{
    /// <summary>The resized input in 0..1, planar C·H·W: what the encoder saw.</summary>
    [ColumnName(OnnxContract.Image)] public float[] Pixels { get; set; } = [];

    /// <summary>h·w code indices, row-major.</summary>
    [ColumnName(OnnxContract.Codes)] public long[] Codes { get; set; } = [];

    /// <summary>The reconstruction in 0..1, planar C·H·W.</summary>
    [ColumnName(OnnxContract.Reconstruction)] public float[] Reconstruction { get; set; } = [];
}

/// <summary>What the image-loading steps alone (<see cref="VqVaeCatalog.VqVaeLoadPixels"/>) yield: the encoder's input.</summary>
public sealed class VqVaePixels
{
    /// <summary>The resized image in 0..1, planar C·H·W.</summary>
    [ColumnName(OnnxContract.Image)] public float[] Pixels { get; set; } = [];
}

/// <summary>One code grid to decode: h·w indices, row-major.</summary>
public sealed class VqVaeCodesInput
{
    [ColumnName(OnnxContract.Codes)] public long[] Codes { get; set; } = [];
}

/// <summary>What the decode-only pipeline yields.</summary>
public sealed class VqVaeDecoded
{
    [ColumnName(OnnxContract.Reconstruction)] public float[] Reconstruction { get; set; } = [];
}
