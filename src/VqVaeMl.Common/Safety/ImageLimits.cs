namespace VqVaeMl.Common;

/// <summary>
/// The largest image the tools decode. A file's header is read before any pixel buffer is made, so a
/// header claiming 100000×100000 pixels (40 GB as RGBA) is refused instead of allocated.
/// </summary>
public static class ImageLimits
{
    /// <summary>64 megapixels: 256 MB as 8-bit RGBA, far beyond any image the models take (they resize to tens of pixels).</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    /// <summary>Null when the size may be decoded; otherwise the problem, in words.</summary>
    public static string? Problem(int width, int height) =>
        width < 1 || height < 1 ? $"the header gives an empty size {width}×{height}"
        : (long)width * height > MaxPixels ? $"the header claims {width}×{height} pixels, more than the {MaxPixels / (1024 * 1024)} megapixels decoded"
        : null;
}
