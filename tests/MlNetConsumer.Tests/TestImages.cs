using SkiaSharp;
using VqVae.TestSupport;

namespace VqVaeMl.MlNet.Tests;

/// <summary>The bad files a real image folder has, written with SkiaSharp (the shapes to score are <see cref="ShapeImages"/>).</summary>
internal static class TestImages
{
    /// <summary>A PNG whose compressed pixel data is overwritten in the middle: the header reads, the body does not.</summary>
    public static void WriteCorruptPng(string path, int size, Random rng)
    {
        using var bitmap = Noise(size, rng);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var bytes = data.ToArray();
        int idat = IndexOf(bytes, "IDAT"u8) + 4;
        int length = (bytes[idat - 8] << 24) | (bytes[idat - 7] << 16) | (bytes[idat - 6] << 8) | bytes[idat - 5];
        for (int i = idat + length / 3; i < idat + length / 3 + 64; i++) bytes[i] = 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A PNG cut off halfway through its pixel data.</summary>
    public static void WriteTruncatedPng(string path, int size, Random rng)
    {
        using var bitmap = Noise(size, rng);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var bytes = data.ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
    }

    /// <summary>A 16-bit-per-channel PNG (Skia writes one from a half-float bitmap) of the given 8-bit image.</summary>
    public static void WritePng16(string path, SKBitmap source)
    {
        using var wide = source.Copy(SKColorType.RgbaF16);
        using var data = wide.Encode(SKEncodedImageFormat.Png, 100);
        var bytes = data.ToArray();
        if (bytes[24] != 16) throw new InvalidOperationException($"expected a 16-bit PNG, Skia wrote bit depth {bytes[24]}");
        File.WriteAllBytes(path, bytes);
    }

    static SKBitmap Noise(int size, Random rng)
    {
        var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[size * size * 4];
        rng.NextBytes(pixels);
        for (int i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return bitmap;
    }

    static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);
}
