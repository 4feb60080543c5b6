using static TorchSharp.torch;

namespace VqVae.Model.Quantizers;

/// <summary>The one distance of the nearest-code search, the k-means and the exported quantizer graph.</summary>
public static class SquaredDistances
{
    /// <summary>
    /// Squared L2 distance of each row of <paramref name="z"/> [M, D] to each row of <paramref name="codes"/>
    /// [K, D], written as ‖z‖² − 2·z·Eᵀ + ‖E‖² so the work is one matrix product (the exported graph computes the same
    /// less ‖z‖², which is the same for every code of a row).
    /// </summary>
    public static Tensor Compute(Tensor z, Tensor codes) =>
        z.pow(2).sum(1, keepdim: true) - 2 * z.matmul(codes.t()) + codes.pow(2).sum(1).unsqueeze(0);

    /// <summary>Index of the nearest row of <paramref name="codes"/> for each row of z.</summary>
    public static Tensor Nearest(Tensor z, Tensor codes)
    {
        using var _ = no_grad();
        return Compute(z, codes).argmin(1);
    }
}
