namespace VqVae.Imaging;

/// <summary>The font the charts are drawn in.</summary>
static class PlotFont
{
    // OxyPlot asks for "Segoe UI"; the fontconfig-free Skia on Linux then falls back to whichever font
    // file it found first (often DejaVu Math TeX Gyre), so name a common sans face when one is installed.
    public static readonly string? Sans = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }
        .FirstOrDefault(SkiaSharp.SKFontManager.Default.FontFamilies.Contains);
}
