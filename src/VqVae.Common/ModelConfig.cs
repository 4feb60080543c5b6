using System.Text.Json;
using System.Text.Json.Serialization;

namespace VqVae;

/// <summary>
/// Everything needed to rebuild a VQ-VAE: written as config.json beside each checkpoint and as
/// metadata inside each ONNX graph, so a consumer configures itself from the file alone.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>"patch": the seed's Conv2d/Linear patch model; "conv": the VQ-VAE paper's convolutional model.</summary>
    public string Arch { get; init; } = "patch";
    public int Channels { get; init; } = 1;
    public int Height { get; init; } = 28;
    public int Width { get; init; } = 28;
    /// <summary>How many pixels one code covers along each side (the seed's p; the conv model's downsampling factor).</summary>
    public int PatchSize { get; init; } = 4;
    /// <summary>D: width of the encoder output and of each codebook vector.</summary>
    public int HiddenSize { get; init; } = 256;
    /// <summary>K: how many codebook vectors.</summary>
    public int CodebookSize { get; init; } = 128;
    /// <summary>"classic": z_e + sg(z_q − z_e); "seed": z_q + (z_e − sg(z_e)), which also trains the codebook through the decoder.</summary>
    public string Ste { get; init; } = "classic";
    public double Beta { get; init; } = 0.25;
    /// <summary>Channels of the conv model's hidden layers (unused by the patch model).</summary>
    public int ConvChannels { get; init; } = 128;
    /// <summary>"loss": codebook trained by the VQ loss (the seed); "ema": exponential moving averages.</summary>
    public string CodebookUpdate { get; init; } = "loss";
    public double EmaDecay { get; init; } = 0.99;
    public bool KmeansInit { get; init; }
    /// <summary>Codes whose EMA usage falls below this are re-seeded; 0 turns it off.</summary>
    public double DeadCodeThreshold { get; init; }
    public string Dataset { get; init; } = "";

    [JsonIgnore] public int LatentHeight => Height / PatchSize;
    [JsonIgnore] public int LatentWidth => Width / PatchSize;

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Throws with the problem named when the sizes cannot make a model.</summary>
    public void Validate()
    {
        if (Arch is not ("patch" or "conv")) throw new InvalidDataException($"arch must be patch or conv, not '{Arch}'");
        if (Ste is not ("classic" or "seed")) throw new InvalidDataException($"ste must be classic or seed, not '{Ste}'");
        if (CodebookUpdate is not ("loss" or "ema")) throw new InvalidDataException($"codebook_update must be loss or ema, not '{CodebookUpdate}'");
        if (EmaDecay is <= 0 or >= 1) throw new InvalidDataException($"ema_decay must lie between 0 and 1 (exclusive), not {EmaDecay}");
        if (Channels is not (1 or 3)) throw new InvalidDataException($"channels must be 1 or 3, not {Channels}");
        if (PatchSize < 1 || Height % PatchSize != 0 || Width % PatchSize != 0)
            throw new InvalidDataException($"patch size {PatchSize} must divide the image size {Height}x{Width}");
        if (HiddenSize < 1 || CodebookSize < 1) throw new InvalidDataException("hidden size and codebook size must be positive");
    }
}
