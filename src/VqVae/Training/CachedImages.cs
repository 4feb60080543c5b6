using VqVae.Data.Cache;

namespace VqVae.Training;

/// <summary>
/// A training or validation split of an <see cref="ImageCache"/>: position i is the cache's image
/// <c>map[i]</c> (all of them in order without a map). Each batch's mapped pages are released from
/// the process after the copy, so resident memory follows the batch, not the data set.
/// </summary>
public sealed class CachedImages : ITrainingImages
{
    readonly ImageCache cache;
    readonly int[]? map;

    public CachedImages(ImageCache cache, int[]? map = null)
    {
        if (map is not null && map.Any(i => (uint)i >= (uint)cache.Count))
            throw new ArgumentOutOfRangeException(nameof(map), $"the map points outside the cache's {cache.Count} images");
        this.cache = cache;
        this.map = map;
    }

    public int Count => map?.Length ?? cache.Count;
    public int Channels => cache.Channels;
    public int Height => cache.Height;
    public int Width => cache.Width;

    public void CopyBatch(ReadOnlySpan<int> positions, Span<float> destination)
    {
        if (map is null) cache.CopyImages(positions, destination);
        else
        {
            var indices = new int[positions.Length];
            for (int i = 0; i < indices.Length; i++) indices[i] = map[positions[i]];
            cache.CopyImages(indices, destination);
        }
        cache.ReleaseResidentPages();
    }
}
