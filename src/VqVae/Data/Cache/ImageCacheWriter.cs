using System.Text;
using Microsoft.Win32.SafeHandles;

namespace VqVae.Data.Cache;

/// <summary>
/// Writes an image cache file: under a temporary name of this process's own in the same folder
/// (<c>.NAME.tmp-HOST-PID</c>), renamed over the final name once complete, so a reader never sees half
/// a file and a build that is killed leaves only a temporary file behind (removed by the next build on
/// the same host).
/// </summary>
public sealed class ImageCacheWriter : IDisposable
{
    readonly string path;
    readonly string temporary;
    readonly SafeFileHandle handle;
    readonly ImageCacheHeader header;
    readonly string[] names;
    bool committed;

    public ImageCacheWriter(string path, int channels, int height, int width, IReadOnlyList<string> names, byte[] sourceHash)
    {
        this.path = path;
        this.names = names.ToArray();
        if (this.names.Any(n => n.Contains('\n'))) throw new InvalidDataException($"an image name holds a line break: {this.names.First(n => n.Contains('\n'))}");
        var nameBytes = Encoding.UTF8.GetByteCount(string.Join('\n', this.names));
        header = new ImageCacheHeader(channels, height, width, this.names.Length, sourceHash, nameBytes);
        temporary = AtomicFile.TempNameFor(path);
        handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None, FileOptions.None, preallocationSize: header.FileLength);
    }

    public int BytesPerImage => (int)header.BytesPerImage;

    /// <summary>Writes image <paramref name="index"/>'s C×H×W bytes; may be called from several threads at once.</summary>
    public void Write(int index, ReadOnlySpan<byte> pixels)
    {
        if (pixels.Length != BytesPerImage) throw new ArgumentException($"{pixels.Length} bytes for an image of {BytesPerImage}");
        RandomAccess.Write(handle, pixels, ImageCacheHeader.PixelOffset + (long)index * BytesPerImage);
    }

    /// <summary>Writes the names and the header, flushes, and renames the file to its final name.</summary>
    public void Commit()
    {
        var nameBytes = Encoding.UTF8.GetBytes(string.Join('\n', names));
        RandomAccess.Write(handle, nameBytes, header.NamesOffset);
        RandomAccess.Write(handle, header.ToBytes(nameBytes), 0);
        RandomAccess.FlushToDisk(handle);
        handle.Dispose();
        File.Move(temporary, path, overwrite: true);
        committed = true;
    }

    public void Dispose()
    {
        handle.Dispose();
        if (!committed && File.Exists(temporary)) File.Delete(temporary);
    }
}
