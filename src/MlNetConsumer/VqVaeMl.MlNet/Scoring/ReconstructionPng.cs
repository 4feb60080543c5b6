using System.Runtime.InteropServices;
using SkiaSharp;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Writes a reconstruction (planar C·H·W floats in 0..1) as an 8-bit PNG: grey for one channel, RGB for
/// three. Values become bytes as the pipeline's ConvertToImage step makes them (×255, +0.5, truncated),
/// so the file holds the same pixels as the ML.NET image column.
/// </summary>
public static class ReconstructionPng
{
    public static byte ToByte(float value) => (byte)Math.Clamp(value * 255f + 0.5f, 0f, 255f);

    public static byte[] Encode(ReadOnlySpan<float> planes, int channels, int height, int width)
    {
        using var data = EncodeData(planes, channels, height, width);
        return data.ToArray();
    }

    /// <summary>
    /// Skia's PNG encoding with its default options (all row filters, zlib level 6), as SKImage.Encode(Png)
    /// writes it, from a pixmap over the bytes: no image object, no copy of the pixels.
    /// </summary>
    internal static SKData EncodeData(ReadOnlySpan<float> planes, int channels, int height, int width)
    {
        int plane = height * width;
        if (channels is not (1 or 3) || planes.Length != channels * plane)
            throw new ArgumentException($"expected {channels}×{height}×{width} values, got {planes.Length}");
        var info = new SKImageInfo(width, height, channels == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        var pixels = new byte[info.BytesSize];
        if (channels == 1)
        {
            for (int i = 0; i < plane; i++) pixels[i] = ToByte(planes[i]);
        }
        else
        {
            for (int i = 0; i < plane; i++)
            {
                pixels[4 * i] = ToByte(planes[i]);
                pixels[4 * i + 1] = ToByte(planes[plane + i]);
                pixels[4 * i + 2] = ToByte(planes[2 * plane + i]);
                pixels[4 * i + 3] = 255;
            }
        }
        var pinned = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, pinned.AddrOfPinnedObject(), info.RowBytes);
            return pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zLibLevel: 6))
                ?? throw new InvalidOperationException("Skia could not encode the reconstruction as PNG");
        }
        finally
        {
            pinned.Free();
        }
    }

    /// <summary>Where an image's reconstruction goes: PNG names are kept, other files get ".png" appended.</summary>
    public static string RelativePathFor(string imageRelativePath) =>
        imageRelativePath.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? imageRelativePath : imageRelativePath + ".png";
}
