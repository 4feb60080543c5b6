using System.Buffers.Binary;
using System.IO.Compression;

namespace VqVae.Data;

/// <summary>
/// Reads MNIST's IDX files (yann.lecun.com layout, as torchvision stores them): a big-endian magic
/// number, big-endian dimensions, then one unsigned byte per pixel or label. Plain or gzipped.
/// </summary>
public static class IdxReader
{
    public const int ImageMagic = 0x00000803;
    public const int LabelMagic = 0x00000801;

    public static ImageSet ReadImages(string path)
    {
        var (bytes, _, count, rows, cols) = ReadImageBytes(path);
        var expected = (long)count * rows * cols;
        var pixels = new float[expected];
        for (long i = 0; i < expected; i++) pixels[i] = bytes[16 + i] / 255f;
        var names = Enumerable.Range(0, count).Select(i => $"idx:{i}").ToArray();
        return new ImageSet(pixels, count, 1, rows, cols, names);
    }

    /// <summary>The checked file's bytes, where its pixels start, and its image count and size.</summary>
    public static (byte[] Bytes, int PixelOffset, int Count, int Rows, int Cols) ReadImageBytes(string path)
    {
        var bytes = ReadMaybeGzipped(path);
        CheckHeader(path, bytes, ImageMagic, headerSize: 16);
        var count = Dimension(path, bytes, 4, "image count");
        if (count == 0) throw new InvalidDataException($"{path}: holds no images (the header's image count is 0)");
        var rows = Dimension(path, bytes, 8, "row count");
        var cols = Dimension(path, bytes, 12, "column count");
        CheckLength(path, bytes.Length - 16L, (long)count * rows * cols, $"{count} images of {rows}x{cols}", "bytes of pixels");
        return (bytes, 16, count, rows, cols);
    }

    public static byte[] ReadLabels(string path)
    {
        var bytes = ReadMaybeGzipped(path);
        CheckHeader(path, bytes, LabelMagic, headerSize: 8);
        var count = Dimension(path, bytes, 4, "label count");
        CheckLength(path, bytes.Length - 8L, count, $"{count} labels", "bytes of labels");
        return bytes[8..];
    }

    /// <summary>The whole file, unzipped when it starts with gzip's magic bytes (whatever its name says).</summary>
    static byte[] ReadMaybeGzipped(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: file not found");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            return plain.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: corrupt gzip data: {e.Message}", e);
        }
    }

    static void CheckHeader(string path, byte[] bytes, int magic, int headerSize)
    {
        var kind = magic == ImageMagic ? "image" : "label";
        if (bytes.Length < headerSize)
            throw new InvalidDataException($"{path}: truncated: {bytes.Length} bytes, but an IDX {kind} header alone needs {headerSize}");
        var found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found == magic) return;
        var hint = found switch
        {
            ImageMagic => " (this is an IDX image file)",
            LabelMagic => " (this is an IDX label file)",
            _ => "",
        };
        throw new InvalidDataException($"{path}: wrong magic number 0x{found:X8}{hint}, expected 0x{magic:X8} for IDX {kind}s");
    }

    static int Dimension(string path, byte[] bytes, int offset, string what)
    {
        var value = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
        if (value < 0) throw new InvalidDataException($"{path}: header gives a negative {what} ({value})");
        return value;
    }

    static void CheckLength(string path, long actual, long expected, string header, string unit)
    {
        if (actual < expected)
            throw new InvalidDataException($"{path}: truncated: header says {header} but only {actual} {unit}");
        if (actual > expected)
            throw new InvalidDataException($"{path}: {actual - expected} bytes more than the header's {header} need; not an IDX file, or a corrupt one");
    }
}
