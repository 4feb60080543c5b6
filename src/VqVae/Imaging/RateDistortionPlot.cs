using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;

namespace VqVae.Imaging;

/// <summary>One trained model on a rate–distortion chart: what its codes cost and how well they reconstruct.</summary>
public sealed record RateDistortionPoint(string Name, double BitsPerImage, double Psnr);

/// <summary>PSNR against bits per image, one labelled point per run: the quantizers compared at what each code map costs.</summary>
public static class RateDistortionPlot
{
    public static void Save(string path, IReadOnlyList<RateDistortionPoint> points, string title, int width = 800, int height = 500)
    {
        if (points.Count == 0) throw new ArgumentException($"no runs to plot into {path}", nameof(points));
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        if (PlotFont.Sans is { } font) model.DefaultFont = font;
        // Bits double with each residual level, so a log axis spreads depth 1, 2 and 4 evenly.
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Bottom, Title = "bits per image (positions × log2 codes per position)", MajorGridlineStyle = LineStyle.Dot, Base = 2 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "validation PSNR (dB)", MajorGridlineStyle = LineStyle.Dot });
        var scatter = new ScatterSeries { MarkerType = MarkerType.Circle, MarkerSize = 5, MarkerFill = OxyColors.SteelBlue };
        // Runs at the same rate sit on one vertical line, often within a fraction of a dB: their labels
        // alternate right and left of the points so that neighbours do not print over each other.
        foreach (var sameRate in points.GroupBy(p => p.BitsPerImage))
        {
            int i = 0;
            foreach (var p in sameRate.OrderByDescending(p => p.Psnr))
            {
                bool left = i++ % 2 == 1;
                scatter.Points.Add(new ScatterPoint(p.BitsPerImage, p.Psnr));
                model.Annotations.Add(new TextAnnotation
                {
                    Text = p.Name, TextPosition = new DataPoint(p.BitsPerImage, p.Psnr), Offset = new ScreenVector(left ? -8 : 8, 0), TextVerticalAlignment = VerticalAlignment.Middle,
                    TextHorizontalAlignment = left ? HorizontalAlignment.Right : HorizontalAlignment.Left, StrokeThickness = 0,
                });
            }
        }
        model.Series.Add(scatter);
        // Room for the labels right of the last point and above the highest.
        double minBits = points.Min(p => p.BitsPerImage), maxBits = points.Max(p => p.BitsPerImage);
        model.Axes[0].Minimum = minBits / 1.4;
        model.Axes[0].Maximum = maxBits * 2.5;
        double minPsnr = points.Min(p => p.Psnr), maxPsnr = points.Max(p => p.Psnr);
        model.Axes[1].Minimum = Math.Floor(minPsnr - 1);
        model.Axes[1].Maximum = Math.Ceiling(maxPsnr + 1);

        var exporter = new PngExporter { Width = width, Height = height };
        AtomicFile.Write(path, stream => exporter.Export(model, stream));
    }
}
