using ScottPlot.Plottables;
using VqVae.Imaging;

namespace VqVae.Tests.Imaging;

public class RateDistortionPlotTests
{
    static readonly RateDistortionPoint[] Runs =
    [
        new("vq", 392, 24.9), new("fsq", 392, 23.8), new("rvq-2", 784, 26.4), new("rvq-4", 1568, 26.6),
    ];

    [Fact]
    public void Each_run_is_a_point_at_its_bits_on_a_log_axis_and_its_psnr()
    {
        var plot = RateDistortionPlot.Build(Runs, "Rate and distortion");
        var markers = plot.GetPlottables<Markers>().Single();
        using var chart = new RenderedChart(plot);

        foreach (var run in Runs)
            Assert.True(chart.HasColourAt(Math.Log10(run.BitsPerImage), run.Psnr, markers.Color), $"no point for {run.Name}");
        // Bits and PSNR swapped between two runs would put points here.
        Assert.False(chart.HasColourAt(Math.Log10(392), 26.6, markers.Color, radius: 3));
        Assert.False(chart.HasColourAt(Math.Log10(1568), 23.8, markers.Color, radius: 3));
        var ticks = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).ToList();
        Assert.Contains(ticks, t => t.Label == "500" && Math.Abs(t.Position - Math.Log10(500)) < 1e-12);
        Assert.Contains(ticks, t => t.Label == "1000" && Math.Abs(t.Position - 3) < 1e-12);
    }

    [Fact]
    public void Each_point_is_labelled_with_its_run()
    {
        using var named = new RenderedChart(RateDistortionPlot.Build([new("vq-plus", 392, 24.9)], "t"));
        using var renamed = new RenderedChart(RateDistortionPlot.Build([new("vq-post", 392, 24.9)], "t"));

        Assert.True(named.PixelsDifferentFrom(renamed) > 20, $"only {named.PixelsDifferentFrom(renamed)} pixels differ between two run names");
    }
}
