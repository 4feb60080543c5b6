using ScottPlot;
using ScottPlot.TickGenerators;

namespace VqVae.Imaging;

/// <summary>Draws per-epoch curves (losses, perplexity, ...) as one PNG line chart, one line per series.</summary>
public static class LearningCurvePlot
{
    public static void Save(string path, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series,
        string title, string yLabel, bool logY = false, int width = 800, int height = 500)
    {
        if (series.Count == 0) throw new ArgumentException($"no series to plot into {path}", nameof(series));
        Chart.SavePng(Build(series, title, yLabel, logY), path, width, height);
    }

    /// <summary>
    /// The chart before it is drawn: epoch e of a series is the point (e, value), or (e, log10 value) on a
    /// log axis, which <paramref name="logY"/> asks for and values spanning a factor of 3 or more get.
    /// </summary>
    internal static Plot Build(IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series, string title, string yLabel, bool logY)
    {
        var plot = Chart.Create(title, "epoch", yLabel);
        // Within a factor of 3 (one epoch, say) a log axis may show no 1-2-5 tick and is near linear anyway.
        bool log = logY && Chart.Spans(series.SelectMany(s => s.Values), 3);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        foreach (var (name, values) in series)
        {
            // NaN (and, on a log axis, values ≤ 0) become gaps in the line rather than errors:
            // a diverged epoch should still leave a readable picture of the rest.
            var epochs = Enumerable.Range(1, values.Count).Select(e => (double)e).ToArray();
            var line = plot.Add.Scatter(epochs, values.Select(v => log ? Chart.Log(v) : v).ToArray());
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = values.Count <= 30 ? 6 : 0;
        }
        if (log) plot.Axes.Left.TickGenerator = Chart.LogTicks(series.SelectMany(s => s.Values));
        // Below the data, not over it: a rising curve would end under a legend in a corner.
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
