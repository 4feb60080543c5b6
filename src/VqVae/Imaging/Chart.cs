using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace VqVae.Imaging;

/// <summary>What the project's charts share: font, labels, a log scale that keeps gaps, and the atomic PNG write.</summary>
static class Chart
{
    // ScottPlot's own sans-serif pick is the first family Skia lists that it can load, which on a
    // fontconfig-free Linux Skia is often a serif or math face: name a common sans face when one is installed.
    static readonly string? SansFont = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }
        .FirstOrDefault(SkiaSharp.SKFontManager.Default.FontFamilies.Contains);

    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFont is { } font) plot.Font.Set(font);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>
    /// Where a value sits on a log axis: ScottPlot's axes are linear, so a log axis plots log10 of the
    /// value and <see cref="LogTicks"/> labels it with the value. NaN and values ≤ 0 become NaN, which
    /// ScottPlot draws as a gap in the line.
    /// </summary>
    public static double Log(double value) => value > 0 ? Math.Log10(value) : double.NaN;

    /// <summary>Whether <paramref name="values"/> (their positive, finite ones) span at least a factor of <paramref name="factor"/>.</summary>
    public static bool Spans(IEnumerable<double> values, double factor)
    {
        var positive = values.Where(v => v > 0 && double.IsFinite(v)).ToList();
        return positive.Count > 0 && positive.Max() >= factor * positive.Min();
    }

    /// <summary>Ticks for a log axis spanning <paramref name="values"/>: at 1, 2 and 5 × 10^k, labelled with the value, minor ticks at the other digits.</summary>
    public static NumericManual LogTicks(IEnumerable<double> values)
    {
        var decades = values.Where(v => v > 0 && double.IsFinite(v)).Select(v => (int)Math.Floor(Math.Log10(v))).DefaultIfEmpty(0).ToList();
        var ticks = new NumericManual();
        for (int k = decades.Min() - 1; k <= decades.Max() + 1; k++)
            for (int digit = 1; digit <= 9; digit++)
            {
                // Parsed rather than multiplied, so the label reads 0.3, not 0.30000000000000004.
                double value = double.Parse($"{digit}e{k}", CultureInfo.InvariantCulture);
                if (digit is 1 or 2 or 5) ticks.AddMajor(Math.Log10(value), value.ToString(CultureInfo.InvariantCulture));
                else ticks.AddMinor(Math.Log10(value));
            }
        return ticks;
    }

    public static void SavePng(Plot plot, string path, int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentException($"{path}: plot size {width}×{height} is empty");
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
