using VqVae.Data;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>
/// Turns a data path into train and validation tensors [N, C, H, W]: a folder of MNIST IDX files
/// keeps its own train/t10k split; any image folder is split at random (fixed seed) by the
/// validation fraction, as the reference post does for Pokémon.
/// </summary>
public static class TrainingData
{
    public static (ImageSet Train, ImageSet Validation) Load(TrainingOptions options)
    {
        var path = options.DataPath;
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"{path}: no such data folder (run `vqvae-train fetch-data` first, or pass --data)");
        if (HasIdxFiles(path))
        {
            var (train, validation) = MnistDataset.Load(path);
            CheckSize(path, train, options.Model);
            return (train, validation);
        }
        var all = ImageFolderReader.Read(path, options.Model.Channels, options.Model.Height, options.Model.Width);
        if (all.Count < 2) throw new InvalidDataException($"{path}: needs at least 2 images to split into train and validation, found {all.Count}");
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(options.Seed).Shuffle(order);
        int trainCount = Math.Clamp((int)Math.Round(all.Count * (1 - options.ValidationFraction)), 1, all.Count - 1);
        return (all.Slice(order[..trainCount]), all.Slice(order[trainCount..]));
    }

    public static Tensor ToTensor(ImageSet set) =>
        tensor(set.Pixels, new long[] { set.Count, set.Channels, set.Height, set.Width });

    static bool HasIdxFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*idx3-ubyte*", SearchOption.AllDirectories).Any();

    static void CheckSize(string path, ImageSet set, ModelConfig model)
    {
        if (set.Channels != model.Channels || set.Height != model.Height || set.Width != model.Width)
            throw new InvalidDataException(
                $"{path}: images are {set.Channels}×{set.Height}×{set.Width} but the model expects {model.Channels}×{model.Height}×{model.Width} (see --channels/--image-size)");
    }
}
