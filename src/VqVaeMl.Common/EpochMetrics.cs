using System.Text.Json.Serialization;

namespace VqVaeMl.Common;

/// <summary>Validation figures of one epoch, as logged, written into metrics.csv and config.json.</summary>
public sealed record EpochMetrics
{
    public int Epoch { get; init; }
    public double TrainLoss { get; init; }
    public double ValidationLoss { get; init; }
    /// <summary>Validation reconstruction MSE: what picks the best checkpoint, as in the reference post.</summary>
    public double ValidationMse { get; init; }
    public double ValidationVqLoss { get; init; }
    public double ValidationPsnr { get; init; }
    /// <summary>
    /// Mean SSIM of the validation reconstructions (<see cref="Imaging.Ssim"/>); null for images smaller than its
    /// window and in runs written before it was measured.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ValidationSsim { get; init; }
    /// <summary>
    /// Fréchet distance of the validation reconstructions from the validation digits in the digit classifier's
    /// features (docs/QUALITY.md); null unless the run's images are 1×28×28 and a classifier was given.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ValidationFrechet { get; init; }
    /// <summary>Distinct codes chosen on the validation set (for residual VQ: summed over the levels, out of L·K).</summary>
    public int ActiveCodes { get; init; }
    /// <summary>
    /// exp(entropy) of the validation code histogram: the number of equally used codes it equals (for
    /// residual VQ the product of the levels' perplexities: that of the code tuple were the levels independent).
    /// </summary>
    public double Perplexity { get; init; }
    /// <summary>Residual VQ only: <see cref="ActiveCodes"/> of each level, first level first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? LevelActiveCodes { get; init; }
    /// <summary>Residual VQ only: <see cref="Perplexity"/> of each level.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? LevelPerplexity { get; init; }
    public int RestartedCodes { get; init; }
    public double Seconds { get; init; }
    public double ImagesPerSecond { get; init; }
}
