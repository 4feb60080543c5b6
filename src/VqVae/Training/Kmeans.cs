using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>Lloyd's k-means on the rows of a matrix: initialises the codebook, and measures the patch model's quality floor.</summary>
public static class Kmeans
{
    /// <summary>Returns k centroids [k, D] of points [M, D] after the given Lloyd iterations (k-means++-free: random distinct rows seed it).</summary>
    public static Tensor Fit(Tensor points, int k, int iterations, Generator? generator = null)
    {
        using var _ = no_grad();
        long m = points.shape[0];
        var seeds = m >= k
            ? randperm(m, generator: generator, device: points.device).narrow(0, 0, k)
            : randint(0, m, new long[] { k }, generator: generator, device: points.device);
        var centroids = points.index_select(0, seeds).clone();
        for (int i = 0; i < iterations; i++)
        {
            using var scope = NewDisposeScope();
            var assignment = Assign(points, centroids);
            var onehot = nn.functional.one_hot(assignment, k).to(points.dtype);
            var counts = onehot.sum(0);
            var sums = onehot.t().matmul(points);
            // A centroid that lost all its points keeps its place rather than dividing by zero.
            var updated = where(counts.unsqueeze(1) > 0, sums / counts.clamp_min(1).unsqueeze(1), centroids);
            centroids.copy_(updated);
        }
        return centroids;
    }

    /// <summary>Nearest centroid of each point, by the same ‖a‖² − 2ab + ‖b‖² product as the codebook.</summary>
    public static Tensor Assign(Tensor points, Tensor centroids)
    {
        var d = points.pow(2).sum(1, keepdim: true) - 2 * points.matmul(centroids.t()) + centroids.pow(2).sum(1).unsqueeze(0);
        return d.argmin(1);
    }

    /// <summary>Mean squared distance of each point to its nearest centroid, per coordinate (comparable to a pixel MSE).</summary>
    public static double Distortion(Tensor points, Tensor centroids, int chunk = 65536)
    {
        using var _ = no_grad();
        double total = 0;
        for (long start = 0; start < points.shape[0]; start += chunk)
        {
            using var scope = NewDisposeScope();
            var part = points.narrow(0, start, Math.Min(chunk, points.shape[0] - start));
            var nearest = centroids.index_select(0, Assign(part, centroids));
            total += (part - nearest).pow(2).sum().item<float>();
        }
        return total / points.numel();
    }
}
