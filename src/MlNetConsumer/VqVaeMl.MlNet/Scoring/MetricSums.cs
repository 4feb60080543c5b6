namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Running sums of the per-image figures, added in path order, for summary.json's means: score, decode and
/// merge add the same values in the same order, so a merged run's means are the single run's to the bit.
/// </summary>
public sealed class MetricSums
{
    double mse, psnr, ssim;
    int images, ssimImages;

    public void Add(double imageMse, double imagePsnr, double? imageSsim)
    {
        mse += imageMse;
        psnr += imagePsnr;
        images++;
        if (imageSsim is { } s) { ssim += s; ssimImages++; }
    }

    public double? MeanMse => images > 0 ? mse / images : null;
    public double? MeanPsnr => images > 0 ? psnr / images : null;
    /// <summary>Null when no image had an SSIM (images smaller than its window, or figures written before it was measured).</summary>
    public double? MeanSsim => ssimImages > 0 ? ssim / ssimImages : null;
}
