using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;

namespace VqVae.Imaging;

/// <summary>Draws per-epoch curves (losses, perplexity, ...) as one PNG line chart, one line per series.</summary>
public static class LearningCurvePlot
{
    public static void Save(string path, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series,
        string title, string yLabel, bool logY = false, int width = 800, int height = 500)
    {
        if (series.Count == 0) throw new ArgumentException($"no series to plot into {path}", nameof(series));
        if (width < 1 || height < 1) throw new ArgumentException($"plot size {width}×{height} is empty");

        var model = new PlotModel { Title = title, Background = OxyColors.White }; // default is transparent
        if (PlotFont.Sans is { } font) model.DefaultFont = font;
        model.Axes.Add(new LinearAxis
        {
            Position = AxisPosition.Bottom, Title = "epoch", MinimumMajorStep = 1, // no fractional epochs
            MajorGridlineStyle = LineStyle.Dot,
        });
        model.Axes.Add(logY
            ? new LogarithmicAxis { Position = AxisPosition.Left, Title = yLabel, MajorGridlineStyle = LineStyle.Dot }
            : new LinearAxis { Position = AxisPosition.Left, Title = yLabel, MajorGridlineStyle = LineStyle.Dot });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight, LegendBackground = OxyColor.FromAColor(200, OxyColors.White) });

        foreach (var (name, values) in series)
        {
            // NaN (and, on a log axis, values ≤ 0) become gaps in the line rather than errors:
            // a diverged epoch should still leave a readable picture of the rest.
            var line = new LineSeries { Title = name, MarkerType = values.Count <= 30 ? MarkerType.Circle : MarkerType.None };
            for (int i = 0; i < values.Count; i++) line.Points.Add(new DataPoint(i + 1, values[i]));
            model.Series.Add(line);
        }

        var exporter = new PngExporter { Width = width, Height = height };
        AtomicFile.Write(path, stream => exporter.Export(model, stream));
    }
}
