using SkiaSharp;

namespace VqVae.Data;

/// <summary>
/// Turns an image file into opaque RGB pixels the way the training data expects them: first frame
/// only, transparency composited onto white (sprites have transparent backgrounds, which would
/// otherwise come out black), scaled with a high-quality filter.
/// </summary>
public static class ImageDecoder
{
    public static readonly IReadOnlySet<string> Extensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".gif", ".bmp" };

    public static bool HasImageExtension(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>Decodes the first frame; <paramref name="name"/> is used in error messages.</summary>
    public static SKBitmap Decode(byte[] bytes, string name)
    {
        if (bytes.Length == 0) throw new InvalidDataException($"{name}: cannot decode: the file is empty");
        using var codec = SKCodec.Create(new SKMemoryStream(bytes), out var created)
            ?? throw new InvalidDataException($"{name}: cannot decode: not a PNG, JPEG, GIF or BMP image (SkiaSharp: {created})");

        // Refused from the header alone: no pixel buffer is made for a size no one could decode.
        if (ImageLimits.Problem(codec.Info.Width, codec.Info.Height) is { } tooLarge)
            throw new InvalidDataException($"{name}: cannot decode: {tooLarge}");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        // A GIF's first frame may not cover the whole canvas; what it leaves must be transparent, not garbage.
        bitmap.Erase(SKColors.Transparent);
        var result = codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(frameIndex: 0));
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidDataException($"{name}: cannot decode the {codec.EncodedFormat} data: {Describe(result)}");
        }
        return bitmap;
    }

    /// <summary>
    /// <paramref name="source"/> drawn onto a white <paramref name="width"/>×<paramref name="height"/> canvas:
    /// stretched to fill it, or (<paramref name="keepAspect"/>) scaled to fit and centred.
    /// </summary>
    public static SKBitmap RenderOnWhite(SKBitmap source, int width, int height, bool keepAspect = false)
    {
        var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.White);
        var destination = SKRect.Create(0, 0, width, height);
        if (keepAspect)
        {
            var scale = Math.Min((float)width / source.Width, (float)height / source.Height);
            var (w, h) = (source.Width * scale, source.Height * scale);
            destination = SKRect.Create((width - w) / 2, (height - h) / 2, w, h);
        }
        using var image = SKImage.FromBitmap(source);
        using var paint = new SKPaint { IsAntialias = true };
        canvas.DrawImage(image, destination, Sampling(destination.Width / source.Width, destination.Height / source.Height, destination), paint);
        canvas.Flush();
        return target;
    }

    /// <summary>
    /// The resampling SkiaSharp 2.88's FilterQuality.High chose, which the data sets' caches and the trained
    /// models were made with (SkiaSharp 3 takes the choice explicitly). Compared with 2.88.9 on a 37×23
    /// image: the same pixels at 1:1 and when enlarging or shrinking one side; within 2/255 when shrinking
    /// both sides (2.88's mipmaps) or enlarging one side only.
    /// </summary>
    static SKSamplingOptions Sampling(float scaleX, float scaleY, SKRect destination)
    {
        if (scaleX == 1 && scaleY == 1)
            return new SKSamplingOptions(float.IsInteger(destination.Left) && float.IsInteger(destination.Top) ? SKFilterMode.Nearest : SKFilterMode.Linear, SKMipmapMode.None);
        if (scaleX < 1 && scaleY < 1) return new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Nearest);
        if (Math.Min(scaleX, scaleY) == 1) return new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None);
        return new SKSamplingOptions(SKCubicResampler.Mitchell);
    }

    /// <summary>
    /// Writes an opaque RGBA bitmap as C×H×W floats 0..1 at <paramref name="offset"/>: RGB planes for 3
    /// channels, luminance (ITU-R 601 weights, as PIL's "L" mode) for 1.
    /// </summary>
    public static void CopyPixels(SKBitmap bitmap, int channels, float[] destination, int offset)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), $"channels must be 1 or 3, not {channels}");
        var rgba = bitmap.GetPixelSpan();
        var plane = bitmap.Width * bitmap.Height;
        for (var p = 0; p < plane; p++)
        {
            float r = rgba[4 * p], g = rgba[4 * p + 1], b = rgba[4 * p + 2];
            if (channels == 1)
            {
                destination[offset + p] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
            }
            else
            {
                destination[offset + p] = r / 255f;
                destination[offset + plane + p] = g / 255f;
                destination[offset + 2 * plane + p] = b / 255f;
            }
        }
    }

    /// <summary>
    /// The same pixels as <see cref="CopyPixels"/> as bytes 0..255 (luminance rounded to the nearest
    /// level): what an image cache stores, a quarter of the floats' size.
    /// </summary>
    public static void CopyBytes(SKBitmap bitmap, int channels, Span<byte> destination)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), $"channels must be 1 or 3, not {channels}");
        var rgba = bitmap.GetPixelSpan();
        var plane = bitmap.Width * bitmap.Height;
        for (var p = 0; p < plane; p++)
        {
            byte r = rgba[4 * p], g = rgba[4 * p + 1], b = rgba[4 * p + 2];
            if (channels == 1)
            {
                destination[p] = (byte)Math.Clamp(MathF.Round(0.299f * r + 0.587f * g + 0.114f * b), 0, 255);
            }
            else
            {
                destination[p] = r;
                destination[plane + p] = g;
                destination[2 * plane + p] = b;
            }
        }
    }

    static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file is truncated",
        SKCodecResult.ErrorInInput => "the image data is corrupt",
        SKCodecResult.InvalidInput => "the image data is invalid",
        _ => result.ToString(),
    };
}
