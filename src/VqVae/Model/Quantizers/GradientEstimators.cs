using VqVae.Checkpoints;
using static TorchSharp.torch;

namespace VqVae.Model.Quantizers;

/// <summary>How the decoder's gradient crosses the nearest-code step; each keeps z_q's value for the decoder.</summary>
public static class GradientEstimators
{
    public static Tensor Apply(GradientEstimator estimator, Tensor ze, Tensor zq) => estimator switch
    {
        // The paper's: the encoder gets the decoder's gradient, the codebook learns only from the VQ loss.
        GradientEstimator.StraightThrough => ze + (zq - ze).detach(),
        // The codebook also learns through the decoder.
        GradientEstimator.StraightThroughToCodebook => zq + (ze - ze.detach()),
        GradientEstimator.RotationTrick => RotationTrick(ze, zq),
        _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "unknown gradient estimator"),
    };

    /// <summary>
    /// The rotation trick (Fifty et al. 2024, arXiv 2410.06424): each vector e is carried to q by
    /// λ·R·e, with R the rotation taking e's direction to q's and λ = ‖q‖/‖e‖ both held constant, so
    /// the encoder's gradient is λ·Rᵀ times the decoder's: rotated back into e's frame and rescaled.
    /// </summary>
    /// <remarks>
    /// R·e = e − 2·r·(r·e) + 2·q̂·(ê·e) with ê, q̂ the unit directions and r = (ê + q̂)/‖ê + q̂‖, the
    /// paper's form that never builds the D×D matrix. The value the decoder reads is then put back to
    /// q exactly (adding sg(q − λRe), which changes no gradient): the rotation's own rounding, and a
    /// zero e whose direction is undefined, leave the forward value the straight-through one.
    /// </remarks>
    static Tensor RotationTrick(Tensor e, Tensor q)
    {
        const double eps = 1e-12;
        var eNorm = e.detach().norm(-1, keepdim: true).clamp_min(eps);
        var qNorm = q.detach().norm(-1, keepdim: true);
        var eHat = e.detach() / eNorm;
        var qHat = q.detach() / qNorm.clamp_min(eps);
        var r = eHat + qHat;
        r = r / r.norm(-1, keepdim: true).clamp_min(eps);
        var rotated = e - 2 * r * (e * r).sum(-1, keepdim: true) + 2 * qHat * (e * eHat).sum(-1, keepdim: true);
        var scaled = rotated * (qNorm / eNorm);
        return scaled + (q.detach() - scaled).detach();
    }
}
