using VqVae.Data;
using VqVae.Data.Cache;

namespace VqVae.Training;

/// <summary>
/// A data path's train and validation images read from memory-mapped uint8 caches (see
/// <see cref="CacheLocation"/>): built on the first run — decoded and resized once — and reused by
/// every later run and by `patch-floor` while the source is unchanged. The splits are
/// <see cref="TrainingData"/>'s: MNIST IDX keeps its train/t10k files, an image folder is split at
/// random with the seed, into the same images in the same order.
/// </summary>
public sealed class CachedTrainingData : IDisposable
{
    readonly ImageCache[] caches;

    CachedTrainingData(ITrainingImages train, ITrainingImages validation, ImageCache[] caches, CacheOutcome[] outcomes)
    {
        Train = train;
        Validation = validation;
        this.caches = caches;
        Outcomes = outcomes;
    }

    public ITrainingImages Train { get; }
    public ITrainingImages Validation { get; }
    /// <summary>For each cache opened: reused, or built (and why).</summary>
    public IReadOnlyList<CacheOutcome> Outcomes { get; }

    /// <param name="cacheFallbackRoot">Where caches go when the data folder refuses writes (default: the user's cache folder).</param>
    public static CachedTrainingData Open(TrainingOptions options, string? cacheFallbackRoot = null)
    {
        var path = options.DataPath;
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"{path}: no such data folder (run `vqvae-train fetch-data` first, or pass --data)");
        var cacheFolder = CacheLocation.For(path, cacheFallbackRoot);
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
                return new(new CachedImages(train), new CachedImages(validation), [.. opened], [trainOutcome, validationOutcome]);
            }
            var model = options.Model;
            var (all, outcome) = ImageCacheStore.OpenFolder(path, model.Channels, model.Height, model.Width, cacheFolder);
            opened.Add(all);
            var (trainOrder, validationOrder) = TrainingData.SplitOrder(path, all.Count, options);
            return new(new CachedImages(all, trainOrder), new CachedImages(all, validationOrder), [all], [outcome]);
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
