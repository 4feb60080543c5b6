using static TorchSharp.torch;

namespace VqVae.Classifier;

/// <summary>The mean and covariance of a set of feature vectors: the Gaussian a Fréchet distance compares.</summary>
public sealed record Gaussian(double[] Mean, double[,] Covariance, long Count);

/// <summary>
/// Sums of feature vectors and of their outer products, added a batch at a time (float64, on the features'
/// device), so the set never sits in memory whole.
/// </summary>
public sealed class FeatureStatistics : IDisposable
{
    readonly Tensor sum, outer;
    long count;

    public FeatureStatistics(int size, Device device)
    {
        sum = zeros(size, dtype: ScalarType.Float64, device: device);
        outer = zeros(size, size, dtype: ScalarType.Float64, device: device);
    }

    /// <summary>Adds features [N, D].</summary>
    public void Add(Tensor features)
    {
        using var scope = NewDisposeScope();
        var f = features.detach().to_type(ScalarType.Float64);
        // Named: a bare 0 would bind to sum's ScalarType overload (the whole tensor, as bytes).
        sum.add_(f.sum(dim: 0));
        outer.add_(f.t().matmul(f));
        count += f.shape[0];
    }

    /// <summary>Mean and covariance with the n − 1 of the sample covariance (as numpy's cov, which pytorch-fid uses).</summary>
    public Gaussian ToGaussian()
    {
        if (count < 2) throw new InvalidOperationException($"a covariance needs at least 2 feature vectors, not {count}");
        using var scope = NewDisposeScope();
        var mean = sum / count;
        var covariance = (outer - count * mean.outer(mean)) / (count - 1);
        int d = (int)sum.shape[0];
        var values = covariance.cpu().data<double>().ToArray();
        var matrix = new double[d, d];
        Buffer.BlockCopy(values, 0, matrix, 0, values.Length * sizeof(double));
        return new Gaussian(mean.cpu().data<double>().ToArray(), matrix, count);
    }

    public void Dispose()
    {
        sum.Dispose();
        outer.Dispose();
    }
}
