using System.Globalization;
using VqVae.Checkpoints;

namespace VqVae.Training;

/// <summary>
/// The loss of an epoch stopped being a finite number. Thrown before that epoch's checkpoints are
/// written, so best/ and last/ keep the last finite epoch.
/// </summary>
public sealed class TrainingDivergedException(int epoch, double trainLoss, double validationLoss, double learningRate, int lastFiniteEpoch)
    : Exception(string.Format(CultureInfo.InvariantCulture,
        "training diverged in epoch {0}: train loss {1:G4}, validation loss {2:G4} (not finite, or beyond {5:G0}); the learning rate (--lr {3:G}) is likely too high. {4}",
        epoch, trainLoss, validationLoss, learningRate,
        lastFiniteEpoch > 0 ? $"best/ and last/ keep epoch {lastFiniteEpoch} and earlier; nothing of epoch {epoch} was saved" : "no checkpoint was saved", LossLimit))
{
    public int Epoch { get; } = epoch;

    /// <summary>
    /// Far beyond any loss of a run that learns: the reconstruction term is a mean squared error of pixels
    /// in 0..1 (at most 1) and the codebook terms are squared distances of encoder outputs, which stay of
    /// order one in runs that learn. At --lr 1e6 the first epoch's mean train loss measured 5e25.
    /// </summary>
    public const double LossLimit = 1e6;

    /// <summary>
    /// A loss summed on the device over every step is finite (and below the limit) only if every step's
    /// was, so this one check per epoch, on a value read once per epoch anyway, sees every step.
    /// </summary>
    public static bool IsDiverged(double trainLoss, EpochMetrics validation) =>
        !(Math.Abs(trainLoss) < LossLimit) || !(Math.Abs(validation.ValidationLoss) < LossLimit) || !double.IsFinite(validation.ValidationMse);
}
