using VqVae.Checkpoints;
using VqVae.Prior;
using VqVaeMl.Common.Imaging;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>
/// One picture that compares runs trained on the same data: a row of validation images, then each run's
/// best checkpoint's reconstructions of the same images, one row per run in the order given. The images are
/// the first ones the first run's reconstructions.png shows (its validation set shuffled by its seed).
/// </summary>
public static class ReconstructionComparison
{
    public const int DefaultImages = 12;

    public static void Save(string path, IReadOnlyList<string> checkpointFolders, int images = DefaultImages)
    {
        if (checkpointFolders.Count == 0) throw new ArgumentException("no runs to compare", nameof(checkpointFolders));
        var runs = checkpointFolders.Select(folder => CodeMaps.DataOptions(Checkpoint.ReadInfo(folder))).ToList();
        foreach (var (folder, run) in checkpointFolders.Zip(runs))
            if (!Directory.Exists(run.DataPath))
                throw new DirectoryNotFoundException($"{folder}: the run's data folder {run.DataPath} is gone (the picture shows its validation images)");
        var first = runs[0];
        for (int i = 1; i < runs.Count; i++) CheckSameImages(checkpointFolders[0], first, checkpointFolders[i], runs[i]);

        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (_, validation) = TrainingData.Load(first);
        int n = Math.Min(images, validation.Count);
        var pick = ImageBatches.ToPositions(randperm(validation.Count, generator: new Generator((ulong)first.Seed)).narrow(0, 0, n));
        var x = TrainingData.ToTensor(validation.Slice(pick));
        var rows = new List<float[]> { ToArray(x) };
        foreach (var folder in checkpointFolders)
        {
            var (model, _) = Checkpoint.Load(folder, CPU);
            using (model)
            {
                model.eval();
                rows.Add(ToArray(model.forward(x).Reconstruction));
            }
        }
        var m = first.Model;
        ImageGrid.Save(path, rows.SelectMany(r => r).ToArray(), rows.Count * n, m.Channels, m.Height, m.Width,
            columns: n, scale: Math.Max(1, 64 / m.Height));
    }

    /// <summary>Two runs show the same validation images when they read the same data the same way.</summary>
    static void CheckSameImages(string firstRun, TrainingOptions first, string run, TrainingOptions other)
    {
        var (a, b) = (first.Model, other.Model);
        if ((a.Channels, a.Height, a.Width) != (b.Channels, b.Height, b.Width))
            throw new InvalidDataException($"{run}: its images are {b.Channels}×{b.Height}×{b.Width}, {firstRun}'s {a.Channels}×{a.Height}×{a.Width}: one picture compares runs of the same images");
        // An image folder is split by the seed and the validation fraction; MNIST IDX files keep their own split.
        bool sameSplit = Path.GetFullPath(first.DataPath) == Path.GetFullPath(other.DataPath)
            && (TrainingData.HasIdxFiles(first.DataPath) || (first.Seed, first.ValidationFraction) == (other.Seed, other.ValidationFraction));
        if (!sameSplit)
            throw new InvalidDataException($"{run}: validated on other images than {firstRun} (data folder, seed or validation split differ): one picture compares runs of the same images");
    }

    static float[] ToArray(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();
}
