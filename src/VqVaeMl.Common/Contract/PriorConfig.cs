using System.Text.Json.Serialization;

namespace VqVaeMl.Common;

/// <summary>
/// The shape of a gated PixelCNN prior over one VQ-VAE's code maps: the K codes and the h×w map it
/// models, and its own sizes. Written into prior.json beside the prior's checkpoints and into
/// prior.onnx's metadata, so a sampler configures itself from the file.
/// </summary>
public sealed record PriorConfig
{
    /// <summary>K: the codes of the VQ-VAE the prior models.</summary>
    public int CodebookSize { get; init; } = 128;
    /// <summary>h and w: the code map's size.</summary>
    public int Height { get; init; } = 7;
    public int Width { get; init; } = 7;
    /// <summary>Width of the code embedding and of each gated layer.</summary>
    public int Channels { get; init; } = 64;
    /// <summary>Gated layers (each with a vertical and a horizontal stack).</summary>
    public int Layers { get; init; } = 6;
    /// <summary>Odd kernel width of the masked convolutions.</summary>
    public int KernelSize { get; init; } = 3;
    /// <summary>Number of class labels it is conditioned on; 0 for an unconditional prior.</summary>
    public int ClassCount { get; init; }

    [JsonIgnore] public bool IsConditional => ClassCount > 0;
    [JsonIgnore] public int CodeCount => Height * Width;

    /// <summary>Throws with the problem named when the sizes cannot make a prior.</summary>
    public void Validate()
    {
        if (CodebookSize < 2) throw new InvalidDataException($"prior codebook size must be at least 2, not {CodebookSize}");
        if (Height < 1 || Width < 1) throw new InvalidDataException($"prior code map {Height}x{Width} is empty");
        if (Channels < 1 || Layers < 1) throw new InvalidDataException("prior channels and layers must be positive");
        if (KernelSize < 3 || KernelSize % 2 == 0) throw new InvalidDataException($"prior kernel size must be odd and at least 3, not {KernelSize}");
        if (ClassCount < 0) throw new InvalidDataException($"prior class count must not be negative, not {ClassCount}");
    }
}
