using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace VqVae.Data.Cache;

/// <summary>
/// The fixed first page of an image cache file, and the checks that say whether a file is one. Layout
/// (little-endian): magic "VQVAEU8\n", format version, channels, height, width, image count, the
/// SHA-256 of the source it was built from, where the names are and how long, where the pixels start,
/// the whole file's length, then a SHA-256 over those 96 bytes and the names. Pixels start at
/// <see cref="PixelOffset"/> (a page boundary, so the mapping of the pixels starts on a page) as
/// count × C×H×W bytes; the image names follow them, UTF-8, one per line.
/// </summary>
public sealed record ImageCacheHeader(int Channels, int Height, int Width, long Count, byte[] SourceHash, long NamesLength)
{
    public const int Version = 1;
    public const long PixelOffset = 4096;
    const int FieldsLength = 96;
    const int ChecksumLength = 32;
    static ReadOnlySpan<byte> Magic => "VQVAEU8\n"u8;

    public long BytesPerImage => (long)Channels * Height * Width;
    public long NamesOffset => PixelOffset + Count * BytesPerImage;
    public long FileLength => NamesOffset + NamesLength;

    /// <summary>The first page, with the checksum over its fields and <paramref name="names"/>.</summary>
    public byte[] ToBytes(ReadOnlySpan<byte> names)
    {
        var page = new byte[PixelOffset];
        var s = page.AsSpan();
        Magic.CopyTo(s);
        BinaryPrimitives.WriteInt32LittleEndian(s[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(s[12..], Channels);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], Height);
        BinaryPrimitives.WriteInt32LittleEndian(s[20..], Width);
        BinaryPrimitives.WriteInt64LittleEndian(s[24..], Count);
        SourceHash.CopyTo(s[32..64]);
        BinaryPrimitives.WriteInt64LittleEndian(s[64..], NamesOffset);
        BinaryPrimitives.WriteInt64LittleEndian(s[72..], NamesLength);
        BinaryPrimitives.WriteInt64LittleEndian(s[80..], PixelOffset);
        BinaryPrimitives.WriteInt64LittleEndian(s[88..], FileLength);
        Checksum(s[..FieldsLength], names).CopyTo(s[FieldsLength..]);
        return page;
    }

    /// <summary>
    /// Reads and checks the header of <paramref name="file"/>: a wrong magic, version, length or
    /// checksum gives the problem in words (and a null header); so does a file cut short.
    /// The names are returned with it, checked by the same checksum.
    /// </summary>
    public static (ImageCacheHeader? Header, string[] Names, string? Problem) Read(FileStream file)
    {
        if (file.Length < PixelOffset) return (null, [], $"{file.Length} bytes, shorter than the header");
        var page = new byte[PixelOffset];
        file.Position = 0;
        file.ReadExactly(page);
        var s = page.AsSpan();
        if (!s[..8].SequenceEqual(Magic)) return (null, [], "not an image cache (wrong magic bytes)");
        int version = BinaryPrimitives.ReadInt32LittleEndian(s[8..]);
        if (version != Version) return (null, [], $"format version {version}, this build reads {Version}");
        var header = new ImageCacheHeader(
            BinaryPrimitives.ReadInt32LittleEndian(s[12..]), BinaryPrimitives.ReadInt32LittleEndian(s[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(s[20..]), BinaryPrimitives.ReadInt64LittleEndian(s[24..]),
            s[32..64].ToArray(), BinaryPrimitives.ReadInt64LittleEndian(s[72..]));
        if (header.Channels < 1 || header.Height < 1 || header.Width < 1 || header.Count < 0 || header.NamesLength < 0
            || BinaryPrimitives.ReadInt64LittleEndian(s[64..]) != header.NamesOffset
            || BinaryPrimitives.ReadInt64LittleEndian(s[80..]) != PixelOffset
            || BinaryPrimitives.ReadInt64LittleEndian(s[88..]) != header.FileLength)
            return (null, [], "inconsistent header");
        if (file.Length != header.FileLength)
            return (null, [], $"{file.Length} bytes where the header says {header.FileLength} (truncated or overwritten)");
        var names = new byte[header.NamesLength];
        file.Position = header.NamesOffset;
        file.ReadExactly(names);
        if (!Checksum(s[..FieldsLength], names).SequenceEqual(s[FieldsLength..(FieldsLength + ChecksumLength)]))
            return (null, [], "header or names do not match their checksum (corrupt)");
        var list = header.Count == 0 ? [] : Encoding.UTF8.GetString(names).Split('\n');
        if (list.Length != header.Count) return (null, [], $"{list.Length} names for {header.Count} images");
        return (header, list, null);
    }

    static byte[] Checksum(ReadOnlySpan<byte> fields, ReadOnlySpan<byte> names)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(fields);
        sha.AppendData(names);
        return sha.GetHashAndReset();
    }
}
