using SkiaSharp;

namespace VqVaeMl.Common.Imaging;

/// <summary>
/// Writes batches of images (N×C×H×W floats in 0..1, as the model sees them) as one PNG grid, laid
/// out like torchvision's <c>make_grid</c>: left to right, top to bottom, <c>padding</c> black pixels
/// around every cell. Grayscale is repeated to RGB; <c>scale</c> enlarges each pixel (nearest
/// neighbour) so 28×28 digits are visible without a zoom.
/// </summary>
public static class ImageGrid
{
    public static void Save(string path, float[] images, int count, int channels, int height, int width,
        int columns, int padding = 2, int scale = 1)
    {
        CheckShape(images, count, channels, height, width, nameof(images));
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "columns must be at least 1");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding must not be negative");
        if (scale < 1) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be at least 1");

        // Same arithmetic as make_grid: a partial last row still gets full width, and padding (in
        // output pixels, not scaled) sits before every cell plus once after the last.
        int cols = Math.Min(columns, count), rows = (count + cols - 1) / cols;
        int cellW = width * scale, cellH = height * scale;
        int gridW = cols * (cellW + padding) + padding, gridH = rows * (cellH + padding) + padding;

        var rgba = new byte[gridW * gridH * 4];
        for (int i = 3; i < rgba.Length; i += 4) rgba[i] = 255; // opaque black background
        int plane = height * width;
        for (int n = 0; n < count; n++)
        {
            int left = padding + n % cols * (cellW + padding), top = padding + n / cols * (cellH + padding);
            int image = n * channels * plane;
            for (int y = 0; y < cellH; y++)
                for (int x = 0; x < cellW; x++)
                {
                    int source = image + y / scale * width + x / scale;
                    int target = ((top + y) * gridW + left + x) * 4;
                    for (int c = 0; c < 3; c++)
                        rgba[target + c] = ToByte(images[source + (channels == 1 ? 0 : c) * plane]);
                }
        }
        WritePng(path, rgba, gridW, gridH);
    }

    /// <summary>
    /// The reconstruction picture: a row of <paramref name="pairsPerRow"/> inputs, then a row of their
    /// reconstructions directly below, then the next inputs, and so on, so each output sits under its input.
    /// </summary>
    public static void SaveInterleaved(string path, float[] inputs, float[] outputs, int channels, int height, int width,
        int pairsPerRow = 10, int padding = 2, int scale = 1)
    {
        int size = channels * height * width;
        if (size <= 0) throw new ArgumentException($"image shape {channels}×{height}×{width} is empty");
        if (pairsPerRow < 1) throw new ArgumentOutOfRangeException(nameof(pairsPerRow), pairsPerRow, "pairsPerRow must be at least 1");
        if (inputs.Length != outputs.Length)
            throw new ArgumentException($"{inputs.Length} input values but {outputs.Length} output values; they must pair up one to one");
        int count = inputs.Length / size;
        CheckShape(inputs, count, channels, height, width, nameof(inputs));

        // A short last row is filled with black cells, so the outputs stay under their inputs.
        int rowPairs = (count + pairsPerRow - 1) / pairsPerRow;
        var cells = new float[rowPairs * 2 * pairsPerRow * size];
        for (int r = 0; r < rowPairs; r++)
        {
            int first = r * pairsPerRow, inRow = Math.Min(pairsPerRow, count - first);
            Array.Copy(inputs, first * size, cells, 2 * r * pairsPerRow * size, inRow * size);
            Array.Copy(outputs, first * size, cells, (2 * r + 1) * pairsPerRow * size, inRow * size);
        }
        Save(path, cells, rowPairs * 2 * pairsPerRow, channels, height, width, pairsPerRow, padding, scale);
    }

    /// <summary>One C×H×W image as a PNG of its own, no border.</summary>
    public static void SavePng(string path, float[] chw, int channels, int height, int width, int scale = 1) =>
        Save(path, chw, 1, channels, height, width, columns: 1, padding: 0, scale);

    static void CheckShape(float[] images, int count, int channels, int height, int width, string name)
    {
        if (channels is not (1 or 3))
            throw new ArgumentException($"images must have 1 (gray) or 3 (RGB) channels, not {channels}", nameof(channels));
        if (count < 1 || height < 1 || width < 1)
            throw new ArgumentException($"nothing to draw: {count} images of {height}×{width}");
        long expected = (long)count * channels * height * width;
        if (images.Length != expected)
            throw new ArgumentException($"{name} has {images.Length} values, but {count}×{channels}×{height}×{width} needs {expected}", name);
    }

    // Rounds like torchvision's save_image (x·255 + 0.5, clamped); NaN from a diverged model shows as black.
    static byte ToByte(float v) => float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp(v * 255f + 0.5f, 0f, 255f);

    static void WritePng(string path, byte[] rgba, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var image = SKImage.FromPixelCopy(info, rgba)
            ?? throw new InvalidOperationException($"SkiaSharp could not build a {width}×{height} image for {path}");
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, png.SaveTo);
    }
}
