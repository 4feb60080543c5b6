using System.IO.MemoryMappedFiles;

namespace VqVae.Data.Cache;

/// <summary>
/// An image cache file opened read-only and memory-mapped: N images of C×H×W bytes each, read
/// straight from the mapping into float batches. Nothing is loaded up front, so opening a cache of any
/// size costs a header read; the operating system pages in what a batch touches.
/// Safe to read from several threads at once.
/// </summary>
public sealed unsafe class ImageCache : IDisposable
{
    readonly MemoryMappedFile file;
    readonly MemoryMappedViewAccessor view;
    readonly byte* mapping;
    readonly byte* pixels;
    readonly long bytesPerImage;
    bool disposed;

    public string Path { get; }
    public int Count { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int PixelsPerImage => (int)bytesPerImage;
    /// <summary>Where each image came from (a relative file path, or "idx:&lt;i&gt;").</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>The SHA-256 of the source description it was built from (see <see cref="SourceFingerprint"/>).</summary>
    public byte[] SourceHash { get; }

    ImageCache(string path, ImageCacheHeader header, string[] names)
    {
        Path = path;
        Count = checked((int)header.Count);
        (Channels, Height, Width) = (header.Channels, header.Height, header.Width);
        bytesPerImage = header.BytesPerImage;
        Names = names;
        SourceHash = header.SourceHash;
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        mapping = start;
        pixels = start + view.PointerOffset + ImageCacheHeader.PixelOffset;
    }

    /// <summary>Opens a cache file; a file that is not a whole, valid cache gives null and the problem in words.</summary>
    public static (ImageCache? Cache, string? Problem) TryOpen(string path)
    {
        ImageCacheHeader? header;
        string[] names;
        string? problem;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            (header, names, problem) = ImageCacheHeader.Read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
        return header is null ? (null, problem) : (new ImageCache(path, header, names), null);
    }

    /// <summary>The bytes of image <paramref name="index"/>, C×H×W.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is outside 0..{Count - 1}");
        return new ReadOnlySpan<byte>(pixels + index * bytesPerImage, (int)bytesPerImage);
    }

    /// <summary>
    /// The images at <paramref name="indices"/>, in that order, as floats 0..1 (byte / 255, as the
    /// decoders make them) into <paramref name="destination"/>, N×C×H×W.
    /// </summary>
    public void CopyImages(ReadOnlySpan<int> indices, Span<float> destination)
    {
        int size = PixelsPerImage;
        if (destination.Length < (long)indices.Length * size)
            throw new ArgumentException($"{destination.Length} floats cannot hold {indices.Length} images of {size}");
        for (int i = 0; i < indices.Length; i++)
        {
            var source = Image(indices[i]);
            var target = destination.Slice(i * size, size);
            for (int p = 0; p < size; p++) target[p] = source[p] / 255f;
        }
    }

    /// <summary>
    /// Drops the mapped pages from this process's resident set (they stay in the kernel's page cache
    /// while memory allows, so reading them again is cheap). Without this the RSS of a run grows to the
    /// cache's size over an epoch, although the memory is the kernel's to reclaim.
    /// </summary>
    public void ReleaseResidentPages()
    {
        if (!disposed) MappedPages.Release(mapping, view.SafeMemoryMappedViewHandle.ByteLength);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}
