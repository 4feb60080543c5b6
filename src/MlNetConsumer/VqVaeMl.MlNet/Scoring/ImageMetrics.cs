using System.Globalization;
using VqVaeMl.Common.Imaging;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>Per-image reconstruction error against the resized input, both in 0..1.</summary>
public static class ImageMetrics
{
    /// <summary>PSNR of a perfect reconstruction: caps log10(1/0) so averages and JSON stay finite.</summary>
    public const double MaxPsnr = 100.0;

    public static double Mse(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0) throw new ArgumentException($"lengths {a.Length} and {b.Length} differ or are 0");
        double sum = 0;
        for (int i = 0; i < a.Length; i++) { double d = a[i] - b[i]; sum += d * d; }
        return sum / a.Length;
    }

    /// <summary>10·log10(1/MSE) for values in 0..1.</summary>
    public static double Psnr(double mse) => mse <= 0 ? MaxPsnr : Math.Min(MaxPsnr, 10.0 * Math.Log10(1.0 / mse));

    /// <summary>metrics.csv's columns after the path.</summary>
    public const string Columns = "mse,psnr,ssim";

    /// <summary>SSIM of planar C·H·W images (<see cref="Common.Imaging.Ssim"/>), or null for images smaller than its window.</summary>
    public static double? Ssim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ModelConfig c) =>
        Common.Imaging.Ssim.IsDefined(c.Height, c.Width) ? Common.Imaging.Ssim.Mean(a, b, c.Channels, c.Height, c.Width) : null;

    /// <summary>One image's figures as metrics.csv holds them: round-trippable, an undefined SSIM left empty.</summary>
    public static string CsvFields(double mse, double psnr, double? ssim) =>
        string.Join(',', Text(mse), Text(psnr), ssim is { } s ? Text(s) : "");

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
