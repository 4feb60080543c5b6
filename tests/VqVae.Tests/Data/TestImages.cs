using System.Buffers.Binary;
using SkiaSharp;

namespace VqVae.Tests.Data;

/// <summary>
/// Small image files made in code, so the folder reader's tests know every pixel. SkiaSharp encodes
/// PNG and JPEG; GIF and BMP, which it only decodes, are written by hand here.
/// </summary>
static class TestImages
{
    public static byte[] Encode(int width, int height, Func<int, int, SKColor> color, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, color(x, y));
        using var data = bitmap.Encode(format, quality: 100);
        return data.ToArray();
    }

    /// <summary>A 24-bit bottom-up BMP, the most common kind.</summary>
    public static byte[] Bmp(int width, int height, Func<int, int, SKColor> color)
    {
        var stride = (width * 3 + 3) / 4 * 4;
        var bytes = new byte[54 + stride * height];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var c = color(x, y);
                var at = 54 + (height - 1 - y) * stride + 3 * x;
                (bytes[at], bytes[at + 1], bytes[at + 2]) = (c.Blue, c.Green, c.Red);
            }
        return bytes;
    }

    /// <summary>
    /// An animated GIF with a 4-colour palette; each frame is width×height palette indices. Index
    /// <paramref name="transparent"/> (if given) is see-through.
    /// </summary>
    public static byte[] Gif(int width, int height, SKColor[] palette, int? transparent, params byte[][] frames)
    {
        var gif = new List<byte>();
        gif.AddRange("GIF89a"u8.ToArray());
        AddShort(gif, width);
        AddShort(gif, height);
        gif.AddRange([0x91, 0, 0]); // global table of 4 colours, background 0, no aspect ratio
        foreach (var c in palette.Take(4)) gif.AddRange([c.Red, c.Green, c.Blue]);
        foreach (var frame in frames)
        {
            // Graphic control: keep the frame (disposal 1), 0.1 s delay, optional transparent index.
            gif.AddRange([0x21, 0xF9, 0x04, (byte)(0x04 | (transparent is null ? 0 : 1)), 10, 0, (byte)(transparent ?? 0), 0]);
            gif.Add(0x2C);
            AddShort(gif, 0);
            AddShort(gif, 0);
            AddShort(gif, width);
            AddShort(gif, height);
            gif.Add(0);
            gif.Add(2); // LZW minimum code size for 4 colours
            var codes = Lzw(frame);
            for (var i = 0; i < codes.Length; i += 255)
            {
                var block = codes.AsSpan(i, Math.Min(255, codes.Length - i));
                gif.Add((byte)block.Length);
                gif.AddRange(block.ToArray());
            }
            gif.Add(0);
        }
        gif.Add(0x3B);
        return [.. gif];
    }

    /// <summary>
    /// "Uncompressed" LZW: a clear code before every two pixels keeps the code table from growing,
    /// so every code stays 3 bits wide and no real compressor is needed.
    /// </summary>
    static byte[] Lzw(byte[] pixels)
    {
        const int clear = 4, end = 5, width = 3;
        var codes = new List<int>();
        for (var i = 0; i < pixels.Length; i++)
        {
            if (i % 2 == 0) codes.Add(clear);
            codes.Add(pixels[i]);
        }
        codes.Add(end);
        var bytes = new byte[(codes.Count * width + 7) / 8];
        for (var i = 0; i < codes.Count; i++)
            for (var bit = 0; bit < width; bit++)
                if ((codes[i] >> bit & 1) == 1)
                {
                    var at = i * width + bit;
                    bytes[at / 8] |= (byte)(1 << (at % 8));
                }
        return bytes;
    }

    static void AddShort(List<byte> bytes, int value) => bytes.AddRange([(byte)value, (byte)(value >> 8)]);
}
