using ScottPlot;
using SkiaSharp;

namespace VqVae.Tests.Imaging;

/// <summary>A chart drawn to PNG and read back, to check where its pixels landed.</summary>
sealed class RenderedChart : IDisposable
{
    readonly Plot plot;
    public SKBitmap Png { get; }

    public RenderedChart(Plot plot, int width = 800, int height = 500)
    {
        this.plot = plot;
        Png = SKBitmap.Decode(plot.GetImageBytes(width, height, ImageFormat.Png))
            ?? throw new InvalidOperationException("the chart did not render to a readable PNG");
    }

    /// <summary>Whether a pixel within <paramref name="radius"/> of the point (x, y), as the drawn axes map it, has exactly this colour.</summary>
    public bool HasColourAt(double x, double y, ScottPlot.Color colour, int radius = 1)
    {
        var p = plot.GetPixel(new Coordinates(x, y));
        var wanted = new SKColor(colour.R, colour.G, colour.B, colour.A);
        for (int dy = -radius; dy <= radius; dy++)
            for (int dx = -radius; dx <= radius; dx++)
            {
                int px = (int)Math.Round(p.X) + dx, py = (int)Math.Round(p.Y) + dy;
                if (px >= 0 && py >= 0 && px < Png.Width && py < Png.Height && Png.GetPixel(px, py) == wanted) return true;
            }
        return false;
    }

    /// <summary>How many pixels differ between two charts of one size.</summary>
    public int PixelsDifferentFrom(RenderedChart other) =>
        Png.Pixels.Zip(other.Png.Pixels).Count(pair => pair.First != pair.Second);

    public void Dispose() => Png.Dispose();
}
