namespace VqVae.Data;

/// <summary>
/// A batch of images as one flat array, N×C×H×W row-major, values 0..1: the layout a tensor wants,
/// without this library needing TorchSharp. Names say where each image came from (a relative file
/// path, or "idx:&lt;i&gt;" for an IDX file) so a bad reconstruction can be traced to its source.
/// </summary>
public sealed record ImageSet(float[] Pixels, int Count, int Channels, int Height, int Width, string[] Names)
{
    // Checked once here so every consumer can index Pixels without re-checking the sizes.
    public string[] Names { get; init; } = CheckShape(Pixels, Count, Channels, Height, Width, Names);

    public int PixelsPerImage => Channels * Height * Width;

    /// <summary>The C×H×W pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>The images at <paramref name="indices"/>, in that order (repeats allowed), copied.</summary>
    public ImageSet Slice(int[] indices)
    {
        var size = PixelsPerImage;
        var pixels = new float[indices.Length * size];
        var names = new string[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {index} is outside 0..{Count - 1}");
            Array.Copy(Pixels, index * size, pixels, i * size, size);
            names[i] = Names[index];
        }
        return new ImageSet(pixels, indices.Length, Channels, Height, Width, names);
    }

    /// <summary><paramref name="count"/> images starting at <paramref name="start"/>, copied.</summary>
    public ImageSet Take(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"images {start}..{start + count - 1} are outside 0..{Count - 1}");
        return Slice(Enumerable.Range(start, count).ToArray());
    }

    static string[] CheckShape(float[] pixels, int count, int channels, int height, int width, string[] names)
    {
        if (count < 0 || channels < 1 || height < 1 || width < 1)
            throw new ArgumentException($"bad image set shape {count}x{channels}x{height}x{width}");
        if (pixels.LongLength != (long)count * channels * height * width)
            throw new ArgumentException($"{pixels.LongLength} pixels do not make {count} images of {channels}x{height}x{width}");
        if (names.Length != count)
            throw new ArgumentException($"{names.Length} names for {count} images");
        return names;
    }
}
