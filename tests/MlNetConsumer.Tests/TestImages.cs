using SkiaSharp;

namespace VqVaeMl.MlNet.Tests;

/// <summary>Small images written with SkiaSharp: shapes to score, and the bad files a real folder has.</summary>
internal static class TestImages
{
    /// <summary>A few filled and stroked shapes on black: edges and flat areas, so codes differ across patches.</summary>
    public static SKBitmap Shapes(int size, bool rgb, Random rng, SKColorType colorType = SKColorType.Rgba8888)
    {
        var bitmap = new SKBitmap(new SKImageInfo(size, size, colorType, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Black);
        for (int i = 0; i < 3; i++)
        {
            byte v = (byte)rng.Next(90, 256);
            var color = rgb ? new SKColor((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)) : new SKColor(v, v, v);
            using var paint = new SKPaint { Color = color, IsAntialias = true, StrokeWidth = size / 10f, Style = rng.Next(2) == 0 ? SKPaintStyle.Fill : SKPaintStyle.Stroke };
            float x = rng.Next(size), y = rng.Next(size), r = rng.Next(size / 8, size / 3);
            switch (rng.Next(3))
            {
                case 0: canvas.DrawCircle(x, y, r, paint); break;
                case 1: canvas.DrawRect(x - r, y - r, 2 * r, r, paint); break;
                default: canvas.DrawLine(x, y, rng.Next(size), rng.Next(size), paint); break;
            }
        }
        return bitmap;
    }

    public static void Write(string path, SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var data = bitmap.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>Writes <paramref name="count"/> shape images under <paramref name="folder"/> (some in sub-folders, some JPEG); returns their relative paths.</summary>
    public static List<string> WriteFolder(string folder, int count, int size, bool rgb, int seed)
    {
        var rng = new Random(seed);
        var paths = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var sub = (i % 4) switch { 0 => "", 1 => "a/", 2 => "b/c/", _ => "a/" };
            var jpeg = i % 9 == 8;
            var relative = $"{sub}shape{i:D3}.{(jpeg ? "jpg" : "png")}";
            using var bitmap = Shapes(size, rgb, rng);
            Write(Path.Combine(folder, relative), bitmap, jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png);
            paths.Add(relative);
        }
        return paths;
    }

    /// <summary>Decodes a file with Skia to planar floats in 0..1 (grey: the red plane of a grey image).</summary>
    public static float[] ReadPlanar(string path, int channels)
    {
        using var bitmap = SKBitmap.Decode(path).Copy(SKColorType.Rgba8888);
        int n = bitmap.Width * bitmap.Height;
        var bytes = bitmap.Bytes;
        var planes = new float[channels * n];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                planes[c * n + i] = bytes[4 * i + c] / 255f;
        return planes;
    }

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
