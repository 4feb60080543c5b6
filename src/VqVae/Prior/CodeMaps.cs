using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Data;
using VqVae.Model;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Prior;

/// <summary>Code maps int64 [N, h, w] and, for a conditional prior, their class labels int64 [N].</summary>
public sealed record CodeSet(Tensor Codes, Tensor? Labels) : IDisposable
{
    public long Count => Codes.shape[0];

    public void Dispose()
    {
        Codes.Dispose();
        Labels?.Dispose();
    }
}

/// <summary>
/// The training and validation images of a VQ-VAE run, turned into code maps once: the run's own data
/// and split, rebuilt from the checkpoint's training settings as training made them.
/// </summary>
public static class CodeMaps
{
    public static (CodeSet Train, CodeSet Validation) Encode(VqVaeModel model, CheckpointInfo info, bool withLabels, int batchSize = 256)
    {
        var t = info.Training ?? throw new InvalidDataException("the checkpoint's config.json has no training settings: the data its codes come from is unknown");
        if (!Directory.Exists(t.DataPath))
            throw new DirectoryNotFoundException($"{t.DataPath}: the run's data folder is gone (the prior is trained on the run's own images)");
        var options = DataOptions(info);
        (Tensor, Tensor)? labels = null;
        if (withLabels)
        {
            if (!Directory.EnumerateFiles(t.DataPath, "*labels-idx1-ubyte*", SearchOption.AllDirectories).Any())
                throw new InvalidDataException($"{t.DataPath}: a class-conditional prior needs labelled MNIST IDX files, and this data folder has none");
            var (trainLabels, validationLabels) = MnistDataset.LoadLabels(t.DataPath);
            labels = (ToLongs(trainLabels), ToLongs(validationLabels));
        }
        var (train, validation) = TrainingData.Load(options);
        var device = model.parameters().First().device;
        var trainCodes = Encode(model, train, device, batchSize);
        var validationCodes = Encode(model, validation, device, batchSize);
        if (labels is { } l && (l.Item1.shape[0] != trainCodes.shape[0] || l.Item2.shape[0] != validationCodes.shape[0]))
            throw new InvalidDataException($"{t.DataPath}: the label files do not hold one label per image");
        return (new CodeSet(trainCodes, labels?.Item1), new CodeSet(validationCodes, labels?.Item2));
    }

    /// <summary>What reads the run's own images (its data folder, seed and validation split) back.</summary>
    public static TrainingOptions DataOptions(CheckpointInfo info)
    {
        var t = info.Training ?? throw new InvalidDataException("the checkpoint's config.json has no training settings: the data its codes come from is unknown");
        return new TrainingOptions { Model = info.Model, DataPath = t.DataPath, Seed = t.Seed, ValidationFraction = t.ValidationFraction };
    }

    /// <summary>Images → nearest codes [N, h, w], a batch at a time (the run's own encoder and codebook).</summary>
    public static Tensor Encode(VqVaeModel model, ImageSet images, Device device, int batchSize)
    {
        model.eval();
        using var _ = no_grad();
        using var all = TrainingData.ToTensor(images);
        var parts = new List<Tensor>();
        for (long start = 0; start < all.shape[0]; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var x = all.narrow(0, start, Math.Min(batchSize, all.shape[0] - start)).to(device);
            parts.Add(model.Quantize(model.Encode(x)).Codes.cpu().MoveToOuterDisposeScope());
        }
        var codes = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return codes;
    }

    static Tensor ToLongs(byte[] labels) => tensor(labels.Select(b => (long)b).ToArray());
}
