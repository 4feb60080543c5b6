using SkiaSharp;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Decodes a file once with Skia (what ML.NET's LoadImages uses) before it enters the pipeline, so a bad
/// file becomes a reason in the summary instead of an exception that would end a data view cursor, and a
/// truncated file is not scored as the half image Skia would still return.
/// </summary>
public static class ImageFileCheck
{
    /// <summary>Null when the file decodes completely; otherwise why it cannot be scored.</summary>
    public static string? Problem(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Problem(stream);
        }
        catch (IOException e) { return $"cannot read file ({e.Message})"; }
        catch (UnauthorizedAccessException e) { return $"cannot read file ({e.Message})"; }
    }

    /// <summary>The same check of a file already read into memory.</summary>
    public static string? Problem(byte[] file)
    {
        using var stream = new MemoryStream(file, writable: false);
        return Problem(stream);
    }

    static string? Problem(Stream stream)
    {
        if (stream.Length == 0) return "empty file (0 bytes)";
        using var codec = SKCodec.Create(stream, out var result);
        if (codec is null) return $"not a readable image ({Describe(result)})";
        // Refused from the header alone, before a pixel buffer is made for it.
        if (ImageLimits.Problem(codec.Info.Width, codec.Info.Height) is { } tooLarge) return tooLarge;
        // Decode every pixel, as 8-bit RGBA whatever the file holds: a corrupt or cut-off body shows only here.
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        return decoded == SKCodecResult.Success ? null : $"corrupt image data ({Describe(decoded)})";
    }

    static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the file ends before the image does",
        SKCodecResult.ErrorInInput => "invalid data in the image",
        SKCodecResult.Unimplemented => "format not supported",
        SKCodecResult.InvalidInput => "unrecognised format",
        _ => result.ToString(),
    };
}
