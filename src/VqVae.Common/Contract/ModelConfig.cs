using System.Text.Json;
using System.Text.Json.Serialization;

namespace VqVae;

/// <summary>The encoder/decoder family: the reference post's patch model or the VQ-VAE paper's convolutional one.</summary>
public enum Arch
{
    /// <summary>Conv2d with kernel = stride = p → ReLU → Linear, mirrored by the decoder.</summary>
    Patch,
    /// <summary>Strided 4×4 convolutions down by p, two residual blocks, mirrored transposed convolutions.</summary>
    Conv,
}

/// <summary>
/// The model's shape: everything needed to rebuild its layers and nothing about how it was trained.
/// Written into config.json beside each checkpoint and into every exported graph's metadata, so a
/// consumer configures itself from the file alone.
/// </summary>
public sealed record ModelConfig
{
    public Arch Arch { get; init; } = Arch.Patch;
    public int Channels { get; init; } = 1;
    public int Height { get; init; } = 28;
    public int Width { get; init; } = 28;
    /// <summary>How many pixels one code covers along each side (the patch model's p; the conv model's downsampling factor).</summary>
    public int PatchSize { get; init; } = 4;
    /// <summary>D: width of the encoder output and of each codebook vector.</summary>
    public int HiddenSize { get; init; } = 256;
    /// <summary>K: how many codebook vectors.</summary>
    public int CodebookSize { get; init; } = 128;
    /// <summary>Channels of the conv model's hidden layers (unused by the patch model).</summary>
    public int ConvChannels { get; init; } = 128;

    [JsonIgnore] public int LatentHeight => Height / PatchSize;
    [JsonIgnore] public int LatentWidth => Width / PatchSize;

    /// <summary>snake_case keys and kebab-case enum values, as config.json and the graph metadata hold them.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A diverged run's NaN or infinite metrics are written as "NaN"/"Infinity" instead of failing the write.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>Throws with the problem named when the sizes cannot make a model.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Arch)) throw new InvalidDataException($"arch {(int)Arch} is not a known architecture");
        if (Channels is not (1 or 3)) throw new InvalidDataException($"channels must be 1 or 3, not {Channels}");
        if (Height < 1 || Width < 1) throw new InvalidDataException($"image size {Height}x{Width} is empty");
        if (PatchSize < 1 || Height % PatchSize != 0 || Width % PatchSize != 0)
            throw new InvalidDataException($"patch size {PatchSize} must divide the image size {Height}x{Width}");
        if (HiddenSize < 1 || CodebookSize < 1) throw new InvalidDataException("hidden size and codebook size must be positive");
        if (ConvChannels < 1) throw new InvalidDataException("conv channels must be positive");
    }
}
