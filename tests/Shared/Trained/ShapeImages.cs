using SkiaSharp;
using static TorchSharp.torch;

namespace VqVae.TestSupport;

/// <summary>
/// Small pictures of a few filled and stroked shapes on black, drawn with SkiaSharp: edges and flat areas, so
/// different patches want different codes (unlike uniform noise). The trained-model fixture trains on them, and
/// tests score and compare on them, from files or straight from memory.
/// </summary>
public static class ShapeImages
{
    public static SKBitmap Shapes(int size, bool rgb, Random rng, SKColorType colorType = SKColorType.Rgba8888)
    {
        var bitmap = new SKBitmap(new SKImageInfo(size, size, colorType, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Black);
        // Below 16 pixels three shapes leave most patches black, and a model on them uses two or three codes.
        int shapes = size < 16 ? 8 : 3;
        for (int i = 0; i < shapes; i++)
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
        return Planar(bitmap, channels);
    }

    /// <summary><paramref name="count"/> shape images drawn in memory, as a tensor [N, C, H, W] in 0..1 for the model's shape.</summary>
    public static Tensor Tensor(ModelConfig c, int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new float[count * c.Channels * c.Height * c.Width];
        for (int n = 0; n < count; n++)
        {
            using var bitmap = Shapes(c.Height, c.Channels == 3, rng);
            Planar(bitmap, c.Channels).CopyTo(pixels, n * c.Channels * c.Height * c.Width);
        }
        return tensor(pixels, [count, c.Channels, c.Height, c.Width]);
    }

    static float[] Planar(SKBitmap bitmap, int channels)
    {
        int n = bitmap.Width * bitmap.Height;
        var bytes = bitmap.Bytes;
        var planes = new float[channels * n];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                planes[c * n + i] = bytes[4 * i + c] / 255f;
        return planes;
    }
}
