using System.Text.Json;
using System.Text.Json.Serialization;

namespace VqVaeMl.Common;

/// <summary>The encoder/decoder family: the reference post's patch model or the VQ-VAE paper's convolutional one.</summary>
public enum Arch
{
    /// <summary>Conv2d with kernel = stride = p → ReLU → Linear, mirrored by the decoder.</summary>
    Patch,
    /// <summary>Strided 4×4 convolutions down by p, two residual blocks, mirrored transposed convolutions.</summary>
    Conv,
    /// <summary>Graphs trained elsewhere and brought in by <c>vqvae-export import</c>: no TorchSharp model; the shapes are the graphs' own.</summary>
    Imported,
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
    /// <summary>What makes the codes; a config.json written before there was a choice is VQ.</summary>
    public QuantizerKind Quantizer { get; init; } = QuantizerKind.Vq;
    /// <summary>FSQ only: the levels of each projected channel; their product is <see cref="CodebookSize"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FsqLevels? Levels { get; init; }
    /// <summary>RVQ: how many codebooks of <see cref="CodebookSize"/> codes quantize one position in turn (1 for VQ and FSQ).</summary>
    public int Depth { get; init; } = 1;

    /// <summary>
    /// h and w of an imported model, as its graphs give them (a foreign encoder need not map p×p patches to codes);
    /// absent for VqVaeMl's own architectures, whose grid is H/p × W/p.
    /// </summary>
    [JsonPropertyName("latent_height"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? GridHeight { get; init; }
    [JsonPropertyName("latent_width"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? GridWidth { get; init; }

    [JsonIgnore] public int LatentHeight => GridHeight ?? Height / PatchSize;
    [JsonIgnore] public int LatentWidth => GridWidth ?? Width / PatchSize;
    /// <summary>The rules, description and code shape of <see cref="Quantizer"/>'s kind.</summary>
    [JsonIgnore] public QuantizerDescriptor QuantizerDescriptor => QuantizerDescriptor.For(Quantizer);
    /// <summary>How many codes one latent position holds: the depth for RVQ, else one.</summary>
    [JsonIgnore] public int CodesPerPosition => QuantizerDescriptor.CodesPerPosition(this);
    /// <summary>Length of one image as the graphs take it: C·H·W.</summary>
    [JsonIgnore] public int PixelCount => Channels * Height * Width;
    /// <summary>The codes of one image: h·w positions × codes per position.</summary>
    [JsonIgnore] public int CodeCount => LatentHeight * LatentWidth * CodesPerPosition;
    /// <summary>The shape of one image's codes, the codes tensor without its batch axis: [h, w], or [h, w, L] for residual VQ.</summary>
    [JsonIgnore] public int[] CodeShape => QuantizerDescriptor.CodeShape(this);
    /// <summary>The shape of one image's latent, NHWC without its batch axis: [h, w, D].</summary>
    [JsonIgnore] public int[] LatentShape => [LatentHeight, LatentWidth, HiddenSize];
    /// <summary>The shape of one image, planar: [C, H, W].</summary>
    [JsonIgnore] public int[] ImageShape => [Channels, Height, Width];

    /// <summary>
    /// Every field of config.json whose value differs from <paramref name="other"/>'s, as "name a vs b";
    /// derived from the serialized form, so a field added to the record is compared without being listed.
    /// </summary>
    public IReadOnlyList<string> Differences(ModelConfig other)
    {
        var a = JsonSerializer.SerializeToNode(this, Json)!.AsObject();
        var b = JsonSerializer.SerializeToNode(other, Json)!.AsObject();
        return a.Select(p => p.Key).Union(b.Select(p => p.Key))
            .Select(key => (Key: key, A: a[key]?.ToJsonString() ?? "none", B: b[key]?.ToJsonString() ?? "none"))
            .Where(f => f.A != f.B)
            .Select(f => $"{f.Key} {f.A.Trim('"')} vs {f.B.Trim('"')}")
            .ToList();
    }

    /// <summary>What one image's code map can say: positions × codes per position × log2 of the codes each can take.</summary>
    [JsonIgnore] public double BitsPerImage => QuantizerDescriptor.BitsPerImage(this);

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
        ValidateGrid();
        if (HiddenSize < 1 || CodebookSize < 1) throw new InvalidDataException("hidden size and codebook size must be positive");
        if (ConvChannels < 1) throw new InvalidDataException("conv channels must be positive");
        ValidateQuantizer();
    }

    /// <summary>VqVaeMl's own models take the grid from p; an imported one states it and may have any p (0: none).</summary>
    void ValidateGrid()
    {
        if (Arch == Arch.Imported)
        {
            if (GridHeight is not >= 1 || GridWidth is not >= 1)
                throw new InvalidDataException($"an imported model needs its latent grid (latent_height, latent_width ≥ 1), not {GridHeight?.ToString() ?? "none"}x{GridWidth?.ToString() ?? "none"}");
            if (PatchSize < 0) throw new InvalidDataException($"patch size {PatchSize} must not be negative");
            return;
        }
        if (PatchSize < 1 || Height % PatchSize != 0 || Width % PatchSize != 0)
            throw new InvalidDataException($"patch size {PatchSize} must divide the image size {Height}x{Width}");
        if (GridHeight is { } h && h != Height / PatchSize || GridWidth is { } w && w != Width / PatchSize)
            throw new InvalidDataException($"latent grid {GridHeight}x{GridWidth} is not the image size {Height}x{Width} over patch size {PatchSize}");
    }

    /// <summary>An unknown kind is refused by <see cref="QuantizerDescriptor.For"/>; each kind checks its own fields.</summary>
    void ValidateQuantizer()
    {
        if (Depth < 1) throw new InvalidDataException($"depth {Depth}: must be at least 1");
        QuantizerDescriptor.Validate(this);
    }
}
