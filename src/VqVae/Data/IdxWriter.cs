using System.Buffers.Binary;

namespace VqVae.Data;

/// <summary>Writes plain (not gzipped) IDX files that <see cref="IdxReader"/> and torchvision read.</summary>
public static class IdxWriter
{
    /// <summary>Grayscale images, one byte per pixel: round(v·255), clamped to 0..255.</summary>
    public static void WriteImages(string path, ImageSet images)
    {
        if (images.Channels != 1)
            throw new ArgumentException($"IDX holds grayscale images; this set has {images.Channels} channels", nameof(images));
        var bytes = new byte[images.Pixels.Length];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(images.Pixels[i] * 255f), 0f, 255f);
        WriteImages(path, bytes, images.Count, images.Height, images.Width);
    }

    public static void WriteImages(string path, byte[] pixels, int count, int rows, int cols)
    {
        if (pixels.LongLength != (long)count * rows * cols)
            throw new ArgumentException($"{pixels.Length} pixels do not make {count} images of {rows}x{cols}", nameof(pixels));
        AtomicFile.Write(path, stream =>
        {
            WriteInt(stream, IdxReader.ImageMagic);
            WriteInt(stream, count);
            WriteInt(stream, rows);
            WriteInt(stream, cols);
            stream.Write(pixels);
        });
    }

    public static void WriteLabels(string path, byte[] labels) =>
        AtomicFile.Write(path, stream =>
        {
            WriteInt(stream, IdxReader.LabelMagic);
            WriteInt(stream, labels.Length);
            stream.Write(labels);
        });

    static void WriteInt(Stream stream, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }
}
