namespace VqVae.Exporter;

/// <summary>File, tensor and metadata names of the exported graphs: the contract with every consumer.</summary>
public static class OnnxNames
{
    public const string EncoderFile = "encoder.onnx";
    public const string QuantizerFile = "quantizer.onnx";
    public const string DecoderFile = "decoder.onnx";
    public static readonly IReadOnlyList<string> Files = new[] { EncoderFile, QuantizerFile, DecoderFile };

    /// <summary>Default output folder name, beside a training run's best/ and last/.</summary>
    public const string OutputFolder = "onnx";

    /// <summary>float32 [N, C, H, W] in 0..1.</summary>
    public const string Image = "image";
    /// <summary>float32 [N, H/p, W/p, D]: the encoder's output, before quantization.</summary>
    public const string ZE = "z_e";
    /// <summary>int64 [N, H/p, W/p]: index of the nearest codebook vector.</summary>
    public const string Codes = "codes";
    /// <summary>float32 [N, H/p, W/p, D]: the chosen codebook vectors.</summary>
    public const string ZQ = "z_q";
    /// <summary>float32 [N, C, H, W] in 0..1.</summary>
    public const string Reconstruction = "reconstruction";

    /// <summary>The symbolic batch dimension.</summary>
    public const string Batch = "N";

    /// <summary>metadata_props key holding CheckpointInfo as JSON (model config, epoch, metrics, producer).</summary>
    public const string MetadataKey = "vqvae";
    public const string ArchKey = "vqvae.arch";
    public const string ChannelsKey = "vqvae.channels";
    public const string HeightKey = "vqvae.height";
    public const string WidthKey = "vqvae.width";
    public const string PatchSizeKey = "vqvae.patch_size";
    public const string HiddenSizeKey = "vqvae.hidden_size";
    public const string CodebookSizeKey = "vqvae.codebook_size";
}
