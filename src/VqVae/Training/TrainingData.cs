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
        var (trainOrder, validationOrder) = SplitOrder(path, all.Count, options);
        return (all.Slice(trainOrder), all.Slice(validationOrder));
    }

    /// <summary>An image folder's split: a shuffle with the seed, the first share for training, the rest for validation.</summary>
    internal static (int[] Train, int[] Validation) SplitOrder(string path, int count, TrainingOptions options)
    {
        if (count < 2) throw new InvalidDataException($"{path}: needs at least 2 images to split into train and validation, found {count}");
        var order = Enumerable.Range(0, count).ToArray();
        new Random(options.Seed).Shuffle(order);
        int trainCount = Math.Clamp((int)Math.Round(count * (1 - options.ValidationFraction)), 1, count - 1);
        return (order[..trainCount], order[trainCount..]);
    }

    public static Tensor ToTensor(ImageSet set) =>
        tensor(set.Pixels, new long[] { set.Count, set.Channels, set.Height, set.Width });

    internal static bool HasIdxFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*idx3-ubyte*", SearchOption.AllDirectories).Any();

    static void CheckSize(string path, ImageSet set, ModelConfig model) => CheckSize(path, set.Channels, set.Height, set.Width, model);

    internal static void CheckSize(string path, int channels, int height, int width, ModelConfig model)
    {
        if (channels != model.Channels || height != model.Height || width != model.Width)
            throw new InvalidDataException(
                $"{path}: images are {channels}×{height}×{width} but the model expects {model.Channels}×{model.Height}×{model.Width} (see --channels/--image-size)");
    }
}
