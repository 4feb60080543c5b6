using static TorchSharp.torch;

namespace VqVae.Model.Quantizers;

/// <summary>Lloyd's k-means on the rows of a matrix: initialises the codebook, and measures the patch model's quality floor.</summary>
public static class Kmeans
{
    /// <summary>Returns k centroids [k, D] of points [M, D]: k-means++ seeding, then the given Lloyd iterations.</summary>
    public static Tensor Fit(Tensor points, int k, int iterations, Generator? generator = null)
    {
        using var _ = no_grad();
        var centroids = SeedPlusPlus(points, k, generator);
        for (int i = 0; i < iterations; i++)
        {
            using var scope = NewDisposeScope();
            var assignment = SquaredDistances.Nearest(points, centroids);
            var onehot = nn.functional.one_hot(assignment, k).to(points.dtype);
            var counts = onehot.sum(dim: 0);
            var sums = onehot.t().matmul(points);
            // A centroid that lost all its points keeps its place rather than dividing by zero.
            var updated = where(counts.unsqueeze(1) > 0, sums / counts.clamp_min(1).unsqueeze(1), centroids);
            centroids.copy_(updated);
        }
        return centroids;
    }

    /// <summary>
    /// k-means++ (Arthur and Vassilvitskii 2007): each new seed is drawn with probability proportional
    /// to its squared distance from the seeds so far, so seeds spread over the clusters instead of
    /// piling into the largest one, which plain random seeding does and Lloyd cannot undo.
    /// </summary>
    static Tensor SeedPlusPlus(Tensor points, int k, Generator? generator)
    {
        long m = points.shape[0];
        var centroids = empty(k, points.shape[1], device: points.device);
        var first = randint(0, m, new long[] { 1 }, generator: generator, device: points.device);
        centroids[0] = points.index_select(0, first)[0];
        var nearest = (points - centroids[0]).pow(2).sum(1);
        for (int i = 1; i < k; i++)
        {
            using var scope = NewDisposeScope();
            // All points already on a seed (fewer distinct points than k): any point will do.
            var weights = nearest.sum().item<float>() > 0 ? nearest : ones_like(nearest);
            var pick = multinomial(weights, 1, generator: generator);
            centroids[i] = points.index_select(0, pick)[0];
            nearest.copy_(minimum(nearest, (points - centroids[i]).pow(2).sum(1)));
        }
        return centroids;
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
            var nearest = centroids.index_select(0, SquaredDistances.Nearest(part, centroids));
            total += (part - nearest).pow(2).sum().item<float>();
        }
        return total / points.numel();
    }
}
