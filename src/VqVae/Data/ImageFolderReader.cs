namespace VqVae.Data;

/// <summary>
/// Every PNG/JPEG/GIF/BMP file below a folder as one <see cref="ImageSet"/>, in ordinal order of
/// relative path so the same folder always gives the same order (and so the same split).
/// </summary>
public static class ImageFolderReader
{
    public static ImageSet Read(string folder, int channels, int height, int width)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), $"channels must be 1 or 3, not {channels}");
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"image size {height}x{width} must be positive");
        var files = ImageFolderListing.List(folder).Select(f => f.RelativePath).ToArray();

        var size = channels * height * width;
        var pixels = new float[(long)files.Length * size];
        for (var i = 0; i < files.Length; i++)
        {
            var path = Path.Combine(folder, files[i]);
            using var decoded = ImageDecoder.Decode(File.ReadAllBytes(path), path);
            using var image = ImageDecoder.RenderOnWhite(decoded, width, height);
            ImageDecoder.CopyPixels(image, channels, pixels, i * size);
        }
        return new ImageSet(pixels, files.Length, channels, height, width, files);
    }
}
