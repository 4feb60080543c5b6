namespace VqVae.Exporter.Graphs;

/// <summary>The arithmetic of a graph's large matrix products.</summary>
public enum GraphPrecision
{
    /// <summary>float32 throughout: the graphs match TorchSharp to about 1e-6.</summary>
    Float32,
    /// <summary>int8 weights (per channel) and dynamically quantized activations in the encoder's and decoder's large products; the quantizer stays float32.</summary>
    Int8,
}

public static class GraphPrecisionNames
{
    /// <summary>The value of the "precision" metadata: "float32" or "int8".</summary>
    public static string MetadataValue(this GraphPrecision precision) => precision switch
    {
        GraphPrecision.Float32 => "float32",
        GraphPrecision.Int8 => "int8",
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };
}
