namespace VqVae.Exporter.Import;

/// <summary>What the decoder graph takes: the codebook vectors z_q in NCHW (the post's decoder), in NHWC, or the codes themselves.</summary>
public enum DecoderInput { ZQNchw, ZQNhwc, Codes }

/// <summary>The layout of the encoder graph's output: NHWC [N, h, w, D] (the post's encoder ends in a Linear) or NCHW [N, D, h, w].</summary>
public enum LatentLayout { Nhwc, Nchw }

/// <summary>What the decoder graph gives: pixels after its own sigmoid, or logits to which the import adds the sigmoid.</summary>
public enum DecoderOutput { Sigmoid, Logits }

/// <summary>The pixel values the model was trained on: 0..1 (torchvision's ToTensor), or −1..1 (Normalize(0.5, 0.5)).</summary>
public enum PixelRange { ZeroToOne, MinusOneToOne }

/// <summary>The files and the layouts of a model trained elsewhere, as <c>vqvae-export import</c> takes them.</summary>
public sealed record GraphImportOptions
{
    public required string Encoder { get; init; }
    public required string Decoder { get; init; }
    /// <summary>A .npy of float32 [K, D]: the codebook the decoder's input is looked up in.</summary>
    public required string Codebook { get; init; }
    public DecoderInput DecoderInput { get; init; } = DecoderInput.ZQNchw;
    public LatentLayout EncoderOutput { get; init; } = LatentLayout.Nhwc;
    public DecoderOutput DecoderOutput { get; init; } = DecoderOutput.Sigmoid;
    public PixelRange PixelRange { get; init; } = PixelRange.ZeroToOne;
    /// <summary>The square image size to probe at when the encoder's height and width are dynamic (null: its own).</summary>
    public int? ImageSize { get; init; }
}

/// <summary>The option values of <c>vqvae-export import</c> as users write them.</summary>
public static class ImportOptionValues
{
    public static readonly IReadOnlyDictionary<string, DecoderInput> DecoderInputs =
        new Dictionary<string, DecoderInput> { ["z-q-nchw"] = DecoderInput.ZQNchw, ["z-q-nhwc"] = DecoderInput.ZQNhwc, ["codes"] = DecoderInput.Codes };

    public static readonly IReadOnlyDictionary<string, LatentLayout> EncoderOutputs =
        new Dictionary<string, LatentLayout> { ["nhwc"] = LatentLayout.Nhwc, ["nchw"] = LatentLayout.Nchw };

    public static readonly IReadOnlyDictionary<string, DecoderOutput> DecoderOutputs =
        new Dictionary<string, DecoderOutput> { ["sigmoid"] = DecoderOutput.Sigmoid, ["logits"] = DecoderOutput.Logits };

    public static readonly IReadOnlyDictionary<string, PixelRange> PixelRanges =
        new Dictionary<string, PixelRange> { ["0,1"] = PixelRange.ZeroToOne, ["-1,1"] = PixelRange.MinusOneToOne };

    public static string Name<T>(IReadOnlyDictionary<string, T> values, T value) where T : struct, Enum =>
        values.First(p => EqualityComparer<T>.Default.Equals(p.Value, value)).Key;
}
