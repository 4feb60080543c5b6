using ScottPlot;

namespace VqVae.Imaging;

/// <summary>One trained model on a rate–distortion chart: what its codes cost and how well they reconstruct.</summary>
public sealed record RateDistortionPoint(string Name, double BitsPerImage, double Psnr);

/// <summary>PSNR against bits per image, one labelled point per run: the quantizers compared at what each code map costs.</summary>
public static class RateDistortionPlot
{
    public static void Save(string path, IReadOnlyList<RateDistortionPoint> points, string title, int width = 800, int height = 500)
    {
        if (points.Count == 0) throw new ArgumentException($"no runs to plot into {path}", nameof(points));
        Chart.SavePng(Build(points, title), path, width, height);
    }

    /// <summary>The chart before it is drawn: a run is the point (log10 bits, PSNR), bits on a log axis.</summary>
    internal static Plot Build(IReadOnlyList<RateDistortionPoint> points, string title)
    {
        var plot = Chart.Create(title, "bits per image (positions × log2 codes per position)", "validation PSNR (dB)");
        // Bits double with each residual level, so a log axis spreads depth 1, 2 and 4 evenly.
        plot.Add.Markers(points.Select(p => Chart.Log(p.BitsPerImage)).ToArray(), points.Select(p => p.Psnr).ToArray(),
            MarkerShape.FilledCircle, size: 10);
        // Runs at the same rate sit on one vertical line, often within a fraction of a dB: their labels
        // alternate right and left of the points so that neighbours do not print over each other.
        foreach (var sameRate in points.GroupBy(p => p.BitsPerImage))
        {
            int i = 0;
            foreach (var p in sameRate.OrderByDescending(p => p.Psnr))
            {
                bool left = i++ % 2 == 1;
                var label = plot.Add.Text(p.Name, Chart.Log(p.BitsPerImage), p.Psnr);
                label.Alignment = left ? Alignment.MiddleRight : Alignment.MiddleLeft;
                label.OffsetX = left ? -8 : 8;
            }
        }
        // Room for the labels right of the last point and left of the first, and a dB above and below.
        double minBits = points.Min(p => p.BitsPerImage), maxBits = points.Max(p => p.BitsPerImage);
        double minPsnr = points.Min(p => p.Psnr), maxPsnr = points.Max(p => p.Psnr);
        plot.Axes.SetLimits(Chart.Log(minBits / 1.4), Chart.Log(maxBits * 2.5), Math.Floor(minPsnr - 1), Math.Ceiling(maxPsnr + 1));
        plot.Axes.Bottom.TickGenerator = Chart.LogTicks([minBits / 1.4, maxBits * 2.5]);
        return plot;
    }
}
