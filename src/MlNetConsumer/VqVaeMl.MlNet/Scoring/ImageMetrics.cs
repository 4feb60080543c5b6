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
}
