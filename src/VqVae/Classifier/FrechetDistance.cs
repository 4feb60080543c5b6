using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace VqVae.Classifier;

/// <summary>
/// The Fréchet distance between two Gaussians (Dowson and Landau 1982), the formula of FID:
/// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^½).
/// </summary>
public static class FrechetDistance
{
    /// <summary>
    /// Tr (Σ₁ Σ₂)^½ is taken as Tr (Σ₁^½ Σ₂ Σ₁^½)^½ (the same eigenvalues, a symmetric matrix): two symmetric
    /// eigendecompositions, eigenvalues that rounding makes slightly negative counted as 0.
    /// </summary>
    public static double Between(Gaussian a, Gaussian b)
    {
        int d = a.Mean.Length;
        if (b.Mean.Length != d) throw new ArgumentException($"features of {d} and {b.Mean.Length} values cannot be compared");
        var s1 = Matrix<double>.Build.DenseOfArray(a.Covariance);
        var s2 = Matrix<double>.Build.DenseOfArray(b.Covariance);
        var root1 = SymmetricSqrt(s1);
        var product = root1 * s2 * root1;
        // Symmetric up to rounding: make it exactly so for the symmetric solver.
        product = (product + product.Transpose()) / 2;
        double traceRoot = product.Evd(Symmetricity.Symmetric).EigenValues.Sum(e => Math.Sqrt(Math.Max(e.Real, 0)));
        double meanTerm = Vector<double>.Build.DenseOfArray(a.Mean).Subtract(Vector<double>.Build.DenseOfArray(b.Mean)).L2Norm();
        double distance = meanTerm * meanTerm + s1.Trace() + s2.Trace() - 2 * traceRoot;
        // Rounding can leave a hair below 0 for two equal sets.
        return Math.Max(distance, 0);
    }

    /// <summary>The symmetric positive semi-definite square root V diag(√λ) Vᵀ.</summary>
    static Matrix<double> SymmetricSqrt(Matrix<double> m)
    {
        var evd = ((m + m.Transpose()) / 2).Evd(Symmetricity.Symmetric);
        var roots = Matrix<double>.Build.DiagonalOfDiagonalArray(evd.EigenValues.Select(e => Math.Sqrt(Math.Max(e.Real, 0))).ToArray());
        return evd.EigenVectors * roots * evd.EigenVectors.Transpose();
    }
}
