using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Model;

/// <summary>The reference post's loss terms, each an MSE; the stop-gradients (detach) are what make each term train its part.</summary>
public sealed record VqVaeLoss(Tensor Total, Tensor Reconstruction, Tensor Vq, Tensor Commitment)
{
    /// <param name="withVqTerm">false when the codebook is updated by EMA instead of by gradient.</param>
    public static VqVaeLoss Compute(VqVaeOutput output, Tensor x, double beta, bool withVqTerm = true)
    {
        var recon = functional.mse_loss(output.Reconstruction, x);
        var vq = functional.mse_loss(output.ZQ, output.ZE.detach());
        var commit = functional.mse_loss(output.ZE, output.ZQ.detach());
        var total = withVqTerm ? recon + vq + beta * commit : recon + beta * commit;
        return new VqVaeLoss(total, recon, vq, commit);
    }
}
