using SkiaSharp;

namespace VqVae.Bench;

/// <summary>
/// A folder of distinct generated RGB PNGs (a two-colour gradient and three discs each, drawn from a
/// seed per file), standing in for a photo data set of that size: every file decodes to other pixels.
/// </summary>
public static class GeneratedImageFolder
{
    public static string Write(string folder, int count, int size)
    {
        Directory.CreateDirectory(folder);
        Parallel.For(0, count, i => File.WriteAllBytes(Path.Combine(folder, $"{i:D6}.png"), Draw(i, size)));
        return folder;
    }

    /// <summary>The first <paramref name="count"/> files of <paramref name="source"/> copied into a new folder.</summary>
    public static string CopyFirst(string source, string folder, int count)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source, "*.png").Order(StringComparer.Ordinal).Take(count))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    static byte[] Draw(int seed, int size)
    {
        var random = new Random(seed);
        SKColor Colour() => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            using var gradient = new SKPaint
            {
                Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(size, random.Next(size)),
                    [Colour(), Colour()], SKShaderTileMode.Clamp),
            };
            canvas.DrawRect(0, 0, size, size, gradient);
            for (int disc = 0; disc < 3; disc++)
            {
                using var paint = new SKPaint { Color = Colour(), IsAntialias = true };
                canvas.DrawCircle(random.Next(size), random.Next(size), 4 + random.Next(size / 3), paint);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
