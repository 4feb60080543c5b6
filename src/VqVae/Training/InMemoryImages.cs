using VqVae.Data;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>Images held as one float array (an <see cref="ImageSet"/>'s pixels, or a tensor's): for small data and tests.</summary>
public sealed class InMemoryImages(float[] pixels, int count, int channels, int height, int width) : ITrainingImages
{
    public int Count => count;
    public int Channels => channels;
    public int Height => height;
    public int Width => width;

    public static InMemoryImages From(ImageSet set) => new(set.Pixels, set.Count, set.Channels, set.Height, set.Width);

    /// <summary>A copy of an [N, C, H, W] tensor's values.</summary>
    public static InMemoryImages From(Tensor images)
    {
        if (images.dim() != 4) throw new ArgumentException($"images must be [N, C, H, W], not [{string.Join(", ", images.shape)}]");
        var s = images.shape;
        return new(images.detach().cpu().contiguous().data<float>().ToArray(), (int)s[0], (int)s[1], (int)s[2], (int)s[3]);
    }

    public void CopyBatch(ReadOnlySpan<int> positions, Span<float> destination)
    {
        int size = channels * height * width;
        for (int i = 0; i < positions.Length; i++)
        {
            if ((uint)positions[i] >= (uint)count) throw new ArgumentOutOfRangeException(nameof(positions), $"position {positions[i]} is outside 0..{count - 1}");
            pixels.AsSpan(positions[i] * size, size).CopyTo(destination.Slice(i * size, size));
        }
    }
}
