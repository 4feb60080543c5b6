namespace VqVae.Exporter.Graphs;

/// <summary>The arithmetic of a graph's large matrix products.</summary>
public enum GraphPrecision
{
    /// <summary>float32 throughout: the graphs match TorchSharp to about 1e-6.</summary>
    Float32,
    /// <summary>
    /// int8 weights (per channel) and dynamically quantized activations in the encoder's and decoder's large products;
    /// the quantizer stays float32, and so does a decoder exported as a table of its codes (a Gather, no product).
    /// </summary>
    Int8,
}

/// <summary>Which graphs of an int8 export carry int8 products; the quantizer is float32 in both.</summary>
public enum Int8Scope
{
    /// <summary>
    /// The decoder only: the encoder and quantizer are the float32 graphs, so the codes are float32's
    /// exactly, while the direct decoder's transposed convolution holds most of the patch model's
    /// multiply-adds (91 % MNIST, 72 % Pokémon). Where the decoder is a table of its codes (the
    /// presets), it has nothing to quantize and the whole folder is float32.
    /// </summary>
    Decoder,
    /// <summary>
    /// The encoder's Linear too (a further 6 % MNIST, 18 % Pokémon of the multiply-adds): faster, but
    /// the int8 encoder's rounding tips a position's code wherever two codes are almost equally near.
    /// </summary>
    EncoderAndDecoder,
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
