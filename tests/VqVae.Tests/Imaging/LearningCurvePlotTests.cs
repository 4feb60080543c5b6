using SkiaSharp;
using VqVae.Imaging;

namespace VqVae.Tests.Imaging;

public class LearningCurvePlotTests
{
    static readonly IReadOnlyList<double> Falling = Enumerable.Range(1, 20).Select(e => 2.0 / e).ToArray();
    static readonly IReadOnlyList<double> Rising = Enumerable.Range(1, 20).Select(e => 0.1 * e).ToArray();

    static SKBitmap Decode(string path) =>
        SKBitmap.Decode(path) ?? throw new InvalidOperationException($"{path} is not a readable image");

    static int DistinctColours(SKBitmap bitmap) => bitmap.Pixels.Select(c => (uint)c).Distinct().Count();

    [Fact]
    public void Plot_is_a_png_of_the_requested_size_with_lines_in_several_colours()
    {
        using var dir = new TempFolder();
        var path = dir.File("loss.png");

        LearningCurvePlot.Save(path, [("train", Falling), ("validation", Rising)], "Loss", "MSE", width: 640, height: 400);

        using var png = Decode(path);
        Assert.Equal((640, 400), (png.Width, png.Height));
        // White background, black axes, two line colours and their anti-aliased edges.
        Assert.True(DistinctColours(png) > 10, $"only {DistinctColours(png)} colours: the plot looks blank");
    }

    [Fact]
    public void Title_text_is_drawn()
    {
        using var dir = new TempFolder();
        string with = dir.File("with.png"), without = dir.File("without.png");

        LearningCurvePlot.Save(with, [("train", Falling)], "A title", "loss", width: 400, height: 300);
        LearningCurvePlot.Save(without, [("train", Falling)], "", "loss", width: 400, height: 300);

        // If the font or HarfBuzz failed to load, both pictures would have an empty strip at the top.
        using SKBitmap a = Decode(with), b = Decode(without);
        int changed = 0;
        for (int y = 0; y < 30; y++)
        for (int x = 0; x < a.Width; x++)
            if (a.GetPixel(x, y) != b.GetPixel(x, y)) changed++;
        Assert.True(changed > 50, $"only {changed} pixels differ where the title should be");
    }

    [Fact]
    public void Log_scale_tolerates_zero_and_nan_epochs()
    {
        using var dir = new TempFolder();
        var path = dir.File("log.png");

        LearningCurvePlot.Save(path, [("loss", [1.0, 0.5, 0.0, double.NaN, 0.1])], "Loss", "loss", logY: true, width: 300, height: 200);

        using var png = Decode(path);
        Assert.Equal((300, 200), (png.Width, png.Height));
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
