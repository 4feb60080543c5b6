namespace VqVaeMl.Common;

/// <summary>
/// The names that tie the exported graphs to every consumer: graph files, tensor names and metadata
/// keys. The exporter writes them, the ML.NET catalog, the batched scorer and the bench read them;
/// this is the only place they are spelt.
/// </summary>
public static class OnnxContract
{
    public const string EncoderFile = "encoder.onnx";
    public const string QuantizerFile = "quantizer.onnx";
    public const string DecoderFile = "decoder.onnx";
    public static readonly IReadOnlyList<string> Files = [EncoderFile, QuantizerFile, DecoderFile];

    /// <summary>Default folder of the graphs, beside a training run's best/ and last/.</summary>
    public const string OutputFolder = "onnx";
    /// <summary>Default folder of an int8 export (<c>vqvae-export --int8</c>).</summary>
    public const string Int8OutputFolder = "onnx-int8";

    /// <summary>float32 [N, C, H, W] in 0..1: the encoder's input.</summary>
    public const string Image = "image";
    /// <summary>float32 [N, h, w, D]: the encoder's output, before quantization.</summary>
    public const string ZE = "z_e";
    /// <summary>int64 [N, h, w]: index of the nearest codebook vector (FSQ: the grid point); [N, h, w, L] for residual VQ, one code per level.</summary>
    public const string Codes = "codes";
    /// <summary>float32 [N, h, w, D]: the chosen codebook vectors.</summary>
    public const string ZQ = "z_q";
    /// <summary>float32 [N, C, H, W] in 0..1: the decoder's output.</summary>
    public const string Reconstruction = "reconstruction";

    /// <summary>The symbolic batch dimension of every input and output.</summary>
    public const string Batch = "N";

    /// <summary>metadata_props key holding the checkpoint's configuration as JSON (<c>CheckpointInfo</c>).</summary>
    public const string MetadataKey = "vqvae";
    /// <summary>Single-value keys beside it, for tools that read metadata without parsing JSON.</summary>
    public const string ArchKey = "vqvae.arch";
    public const string ChannelsKey = "vqvae.channels";
    public const string HeightKey = "vqvae.height";
    public const string WidthKey = "vqvae.width";
    public const string PatchSizeKey = "vqvae.patch_size";
    public const string HiddenSizeKey = "vqvae.hidden_size";
    public const string CodebookSizeKey = "vqvae.codebook_size";
    /// <summary>vq, fsq or rvq (<c>QuantizerKind</c> in kebab-case).</summary>
    public const string QuantizerKey = "vqvae.quantizer";
    /// <summary>Codebooks per position: the residual depth L, 1 for vq and fsq.</summary>
    public const string DepthKey = "vqvae.depth";
    /// <summary>FSQ only: the levels, comma-separated (e.g. 8,5,5,5).</summary>
    public const string LevelsKey = "vqvae.levels";
    /// <summary>"float32" or "int8": the arithmetic of the graph's large products; the same value is the "precision" field of the JSON.</summary>
    public const string PrecisionKey = "vqvae.precision";
    public const string PrecisionField = "precision";

    /// <summary>The optional gated PixelCNN prior over the code maps, beside the three graphs.</summary>
    public const string PriorFile = "prior.onnx";
    /// <summary>int64 [N]: the class a conditional prior is asked for.</summary>
    public const string Label = "label";
    /// <summary>float32 [N, K, h, w]: the prior's unnormalised log-probabilities of each code at each position.</summary>
    public const string Logits = "logits";
    /// <summary>metadata_props key of prior.onnx holding the prior's configuration as JSON (<c>PriorInfo</c>).</summary>
    public const string PriorMetadataKey = "vqvae.prior";
}
