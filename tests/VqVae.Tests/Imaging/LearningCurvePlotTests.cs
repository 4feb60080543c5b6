using ScottPlot.Plottables;
using SkiaSharp;
using VqVae.Imaging;

namespace VqVae.Tests.Imaging;

public class LearningCurvePlotTests
{
    static readonly IReadOnlyList<double> Falling = Enumerable.Range(1, 20).Select(e => 2.0 / e).ToArray();
    static readonly IReadOnlyList<double> Rising = Enumerable.Range(1, 20).Select(e => 0.1 * e).ToArray();

    [Fact]
    public void Plot_is_a_png_of_the_requested_size()
    {
        using var dir = new TempFolder();
        var path = dir.File("loss.png");

        LearningCurvePlot.Save(path, [("train", Falling), ("validation", Rising)], "Loss", "MSE", width: 640, height: 400);

        using var png = SKBitmap.Decode(path);
        Assert.Equal((640, 400), (png.Width, png.Height));
    }

    [Fact]
    public void Each_epochs_value_is_drawn_where_the_axes_put_it_in_its_series_colour()
    {
        var plot = LearningCurvePlot.Build([("train", Falling), ("validation", Rising)], "Loss", "MSE", logY: false);
        var (train, validation) = (plot.GetPlottables<Scatter>().First(), plot.GetPlottables<Scatter>().Last());
        Assert.NotEqual(train.Color, validation.Color);
        using var chart = new RenderedChart(plot);

        for (int epoch = 1; epoch <= 20; epoch++)
        {
            Assert.True(chart.HasColourAt(epoch, Falling[epoch - 1], train.Color), $"no train point at epoch {epoch}");
            Assert.True(chart.HasColourAt(epoch, Rising[epoch - 1], validation.Color), $"no validation point at epoch {epoch}");
        }
        // The falling line starts high: nothing of its colour where a reversed series would start.
        Assert.False(chart.HasColourAt(1, Falling[^1], train.Color, radius: 3));
        Assert.False(chart.HasColourAt(20, Falling[0], train.Color, radius: 3));
    }

    [Fact]
    public void Log_scale_places_values_by_their_logarithm_and_labels_ticks_with_values()
    {
        var plot = LearningCurvePlot.Build([("loss", [1.0, 0.5, 0.0, double.NaN, 0.02])], "Loss", "loss", logY: true);
        var loss = plot.GetPlottables<Scatter>().Single();
        using var chart = new RenderedChart(plot, 300, 200);

        Assert.True(chart.HasColourAt(1, 0, loss.Color));
        Assert.True(chart.HasColourAt(2, Math.Log10(0.5), loss.Color));
        Assert.True(chart.HasColourAt(5, Math.Log10(0.02), loss.Color));
        // Epochs 3 and 4 (zero, NaN) are a gap: no line straight from epoch 2 to 5.
        Assert.False(chart.HasColourAt(3.5, (Math.Log10(0.5) + Math.Log10(0.02)) / 2, loss.Color, radius: 2));
        var ticks = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).ToList();
        Assert.Contains(ticks, t => t.Label == "0.02" && Math.Abs(t.Position - Math.Log10(0.02)) < 1e-12);
        Assert.Contains(ticks, t => t.Label == "1" && t.Position == 0);
        Assert.Contains(ticks, t => t.Label == "0.5" && Math.Abs(t.Position - Math.Log10(0.5)) < 1e-12);
    }

    [Fact]
    public void Values_within_a_factor_of_3_asked_for_on_a_log_axis_get_a_linear_one_with_labelled_ticks()
    {
        // One epoch of three curves: a log axis this narrow may hold no 1-2-5 tick at all.
        var plot = LearningCurvePlot.Build([("train", [0.241]), ("validation", [0.227])], "Loss", "loss", logY: true);
        var train = plot.GetPlottables<Scatter>().First();
        using var chart = new RenderedChart(plot);

        Assert.True(chart.HasColourAt(1, 0.241, train.Color));
        var limits = plot.Axes.GetLimits();
        var inView = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor && t.Position >= limits.Bottom && t.Position <= limits.Top).ToList();
        Assert.True(inView.Count >= 2, $"{inView.Count} labelled ticks between {limits.Bottom} and {limits.Top}");
        foreach (var tick in inView)
            Assert.Equal(tick.Position, double.Parse(tick.Label, System.Globalization.CultureInfo.InvariantCulture), 1e-9);
    }

    [Fact]
    public void Log_scale_tolerates_zero_and_nan_epochs_when_saved()
    {
        using var dir = new TempFolder();
        var path = dir.File("log.png");

        LearningCurvePlot.Save(path, [("loss", [1.0, 0.5, 0.0, double.NaN, 0.1])], "Loss", "loss", logY: true, width: 300, height: 200);

        using var png = SKBitmap.Decode(path);
        Assert.Equal((300, 200), (png.Width, png.Height));
    }

    [Fact]
    public void Title_and_axis_label_text_is_drawn()
    {
        // Two charts that differ in one letter of a text: if the font failed to load (no glyphs, or the
        // same placeholder box for every letter) they would come out identical.
        using var a = new RenderedChart(LearningCurvePlot.Build([("train", Falling)], "A title", "loss", logY: false), 400, 300);
        using var b = new RenderedChart(LearningCurvePlot.Build([("train", Falling)], "B title", "loss", logY: false), 400, 300);
        using var c = new RenderedChart(LearningCurvePlot.Build([("train", Falling)], "A title", "Loss", logY: false), 400, 300);

        Assert.True(a.PixelsDifferentFrom(b) > 20, $"only {a.PixelsDifferentFrom(b)} pixels differ between titles A and B");
        Assert.True(a.PixelsDifferentFrom(c) > 20, $"only {a.PixelsDifferentFrom(c)} pixels differ between y labels loss and Loss");
    }

    [Fact]
    public void No_series_is_an_error_naming_the_file()
    {
        using var dir = new TempFolder();
        var path = dir.File("empty.png");

        var error = Assert.Throws<ArgumentException>(() => LearningCurvePlot.Save(path, [], "t", "y"));
        Assert.Contains("empty.png", error.Message);
        Assert.False(File.Exists(path));
    }
}
