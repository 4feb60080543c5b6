using VqVae.Data;
using VqVae.Data.Cache;

namespace VqVae.Training;

/// <summary>
/// A data path's train and validation images read from memory-mapped uint8 caches (see
/// <see cref="CacheLocation"/>, never inside the data folder): built on the first run — decoded and resized once — and reused by
/// every later run and by `patch-floor` while the source is unchanged. The splits are
/// <see cref="TrainingData"/>'s: MNIST IDX keeps its train/t10k files, an image folder is split at
/// random with the seed, into the same images in the same order.
/// </summary>
public sealed class CachedTrainingData : IDisposable
{
    readonly ImageCache[] caches;

    CachedTrainingData(ITrainingImages train, ITrainingImages validation, ImageCache[] caches, CacheOutcome[] outcomes, CacheFolder folder)
    {
        Train = train;
        Validation = validation;
        this.caches = caches;
        Outcomes = outcomes;
        Folder = folder;
    }

    public ITrainingImages Train { get; }
    public ITrainingImages Validation { get; }
    /// <summary>For each cache opened: reused, or built (and why).</summary>
    public IReadOnlyList<CacheOutcome> Outcomes { get; }
    /// <summary>The data folder's cache folder.</summary>
    public CacheFolder Folder { get; }

    /// <param name="cacheRoot">The cache root (default: <see cref="CacheLocation.Root"/>, from the environment).</param>
    public static CachedTrainingData Open(TrainingOptions options, string? cacheRoot = null)
    {
        var path = options.DataPath;
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"{path}: no such data folder (run `vqvae-train fetch-data` first, or pass --data)");
        var folder = CacheLocation.For(path, cacheRoot ?? CacheLocation.Root());
        var cacheFolder = folder.Path;
        var opened = new List<ImageCache>();
        try
        {
            if (TrainingData.HasIdxFiles(path))
            {
                var (train, trainOutcome) = ImageCacheStore.OpenIdx(MnistDataset.Find(path, MnistDataset.TrainImages), cacheFolder);
                opened.Add(train);
                var (validation, validationOutcome) = ImageCacheStore.OpenIdx(MnistDataset.Find(path, MnistDataset.TestImages), cacheFolder);
                opened.Add(validation);
                foreach (var cache in opened) TrainingData.CheckSize(path, cache.Channels, cache.Height, cache.Width, options.Model);
                MnistDataset.CheckLabelCount(path, MnistDataset.TrainLabels, MnistDataset.Find(path, MnistDataset.TrainImages), train.Count);
                MnistDataset.CheckLabelCount(path, MnistDataset.TestLabels, MnistDataset.Find(path, MnistDataset.TestImages), validation.Count);
                return new(new CachedImages(train), new CachedImages(validation), [.. opened], [trainOutcome, validationOutcome], folder);
            }
            var model = options.Model;
            var (all, outcome) = ImageCacheStore.OpenFolder(path, model.Channels, model.Height, model.Width, cacheFolder);
            opened.Add(all);
            var (trainOrder, validationOrder) = TrainingData.SplitOrder(path, all.Count, options);
            return new(new CachedImages(all, trainOrder), new CachedImages(all, validationOrder), [all], [outcome], folder);
        }
        catch
        {
            foreach (var cache in opened) cache.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var cache in caches) cache.Dispose();
    }
}
