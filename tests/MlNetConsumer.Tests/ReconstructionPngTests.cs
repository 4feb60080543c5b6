using SkiaSharp;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// The reconstruction PNGs are encoded from a pixmap over the bytes: they must be the bytes an SKImage of
/// the same pixels encodes (SKImage.Encode(Png, 100), the form score wrote them in before), grey and colour.
/// </summary>
public sealed class ReconstructionPngTests
{
    [Theory]
    [InlineData(1, 28, 28)]
    [InlineData(3, 16, 16)]
    [InlineData(3, 7, 13)]
    public void Pngs_are_the_bytes_an_SKImage_of_the_same_pixels_encodes(int channels, int height, int width)
    {
        var rng = new Random(channels * 100 + width);
        int plane = height * width;
        var planes = new float[channels * plane];
        // Flat black like a digit's background, values across 0..1, and some outside it (clamped).
        for (int i = 0; i < planes.Length; i++) planes[i] = rng.Next(3) == 0 ? 0f : rng.NextSingle() * 1.2f - 0.1f;

        var info = new SKImageInfo(width, height, channels == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        var pixels = new byte[info.BytesSize];
        for (int i = 0; i < plane; i++)
        {
            if (channels == 1) { pixels[i] = ReconstructionPng.ToByte(planes[i]); continue; }
            for (int c = 0; c < 3; c++) pixels[4 * i + c] = ReconstructionPng.ToByte(planes[c * plane + i]);
            pixels[4 * i + 3] = 255;
        }
        using var image = SKImage.FromPixelCopy(info, pixels, info.RowBytes);
        using var expected = image.Encode(SKEncodedImageFormat.Png, 100);

        Assert.Equal(expected.ToArray(), ReconstructionPng.Encode(planes, channels, height, width));
    }
}
