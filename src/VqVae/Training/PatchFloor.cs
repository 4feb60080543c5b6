using VqVae.Data;
using VqVae.Model.Quantizers;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>
/// The patch model decodes each code to the same p×p patch wherever it sits, so at best it is a
/// lookup table of K patches: its lowest possible reconstruction MSE is the k-means distortion of the
/// data's p×p patches with K centroids. Centroids are fitted on the training patches and the
/// distortion is measured on the validation patches, like the validation MSE it bounds.
/// </summary>
public static class PatchFloor
{
    public static double Measure(ImageSet train, ImageSet validation, int patchSize, int codebookSize, int iterations = 25, int seed = 0) =>
        Measure(InMemoryImages.From(train), InMemoryImages.From(validation), patchSize, codebookSize, iterations, seed);

    /// <summary>The floor for images read from a cache (or memory); every image's patches are held as floats.</summary>
    public static double Measure(ITrainingImages train, ITrainingImages validation, int patchSize, int codebookSize, int iterations = 25, int seed = 0)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var centroids = Kmeans.Fit(Patches(train, patchSize), codebookSize, iterations, new Generator((ulong)seed));
        return Kmeans.Distortion(Patches(validation, patchSize), centroids);
    }

    /// <summary>Every non-overlapping p×p patch as a row of C·p·p values.</summary>
    public static Tensor Patches(ImageSet set, int p) => Patches(InMemoryImages.From(set), p);

    public static Tensor Patches(ITrainingImages set, int p)
    {
        var x = set.Gather(Enumerable.Range(0, set.Count).ToArray());
        long n = set.Count, c = set.Channels, h = set.Height / p, w = set.Width / p;
        return x.reshape(n, c, h, p, w, p).permute(0, 2, 4, 1, 3, 5).reshape(n * h * w, c * p * p);
    }
}
