using VqVae.Checkpoints;
using VqVae.Imaging;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>The reference post's three pictures: learning curve, reconstruction grid, and every code decoded alone.</summary>
public static class TrainingPictures
{
    public const string LearningCurveFile = "learning-curve.png";
    public const string ReconstructionsFile = "reconstructions.png";
    public const string CodebookFile = "codebook.png";

    public static void SaveLearningCurve(string outDir, IReadOnlyList<EpochMetrics> history) =>
        LearningCurvePlot.Save(Path.Combine(outDir, LearningCurveFile), new (string, IReadOnlyList<double>)[]
        {
            ("Train loss", history.Select(m => m.TrainLoss).ToList()),
            ("Validation loss", history.Select(m => m.ValidationLoss).ToList()),
            ("Validation reconstruction MSE", history.Select(m => m.ValidationMse).ToList()),
        }, "Learning curve", "loss", logY: true);

    /// <summary>10 rows of 10 validation inputs, each followed by a row of their reconstructions.</summary>
    public static void SaveReconstructions(string path, VqVaeModel model, Tensor validation, int seed, int pairs = 100)
    {
        using var scope = NewDisposeScope();
        int n = (int)Math.Min(pairs, validation.shape[0]);
        var pick = randperm(validation.shape[0], generator: new Generator((ulong)seed)).narrow(0, 0, n).to(validation.device);
        SaveReconstructions(path, model, validation.index_select(0, pick));
    }

    /// <summary>The same grid, reading only the pictured images from <paramref name="validation"/>.</summary>
    public static void SaveReconstructions(string path, VqVaeModel model, ITrainingImages validation, int seed, int pairs = 100)
    {
        using var scope = NewDisposeScope();
        int n = Math.Min(pairs, validation.Count);
        var pick = ImageBatches.ToPositions(randperm(validation.Count, generator: new Generator((ulong)seed)).narrow(0, 0, n));
        SaveReconstructions(path, model, validation.Gather(pick).to(model.parameters().First().device));
    }

    static void SaveReconstructions(string path, VqVaeModel model, Tensor x)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var xHat = model.forward(x).Reconstruction;
        var c = model.Config;
        ImageGrid.SaveInterleaved(path, ToArray(x), ToArray(xHat), c.Channels, c.Height, c.Width,
            pairsPerRow: 10, scale: Scale(c.Height));
    }

    /// <summary>The most codes codebook.png shows (an FSQ grid can hold far more; it is then sampled evenly).</summary>
    public const int MaxPictureCodes = 1024;

    /// <summary>
    /// Each code as a 1×1 latent through the decoder: the p×p patch it stands for (residual VQ: the
    /// first level's codes; FSQ: at most <see cref="MaxPictureCodes"/> grid points, evenly spread).
    /// </summary>
    public static void SaveCodebook(string path, VqVaeModel model)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var c = model.Config;
        var vectors = model.quantizer.PictureLatents(MaxPictureCodes);
        int count = (int)vectors.shape[0];
        var latent = vectors.reshape(count, 1, 1, c.HiddenSize);
        var patches = model.Decode(latent);
        ImageGrid.Save(path, ToArray(patches), count, c.Channels, (int)patches.shape[2], (int)patches.shape[3],
            columns: 16, scale: Math.Max(1, 32 / c.PatchSize));
    }

    static float[] ToArray(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    // Small images are scaled up so a grid of them is readable at a glance.
    static int Scale(int height) => Math.Max(1, 64 / height);
}
