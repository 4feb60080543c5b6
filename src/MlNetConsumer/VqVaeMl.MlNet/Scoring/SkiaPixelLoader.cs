using Microsoft.ML.Transforms.Image;
using SkiaSharp;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Image files → the encoder's input pixels with SkiaSharp alone, making the very Skia calls ML.NET's
/// image steps make (<see cref="VqVaeCatalog.VqVaeLoadPixels"/> with <see cref="ImageResizingEstimator.ResizingKind.Fill"/>,
/// as ML.NET 6.0's MLImage makes them), so the pixels are the same bits. Each file is read once, checked as
/// <see cref="ImageFileCheck"/> checks it and decoded from those bytes straight into its row of the batch:
/// ML.NET's cursor, getters and image columns cost about as much per 28×28 image as the graphs themselves.
/// tests/MlNetConsumer.Tests/SkiaPixelLoaderTests.cs holds it to ML.NET's steps.
/// </summary>
internal sealed class SkiaPixelLoader : IPixelLoader
{
    // ML.NET's ConvertToGrayscale (MLImage.CloneWithGrayscale): this matrix, drawn onto an opaque N32 bitmap.
    static readonly SKColorFilter Grayscale = SKColorFilter.CreateColorMatrix(
    [
        0.3f, 0.59f, 0.11f, 0, 0,
        0.3f, 0.59f, 0.11f, 0, 0,
        0.3f, 0.59f, 0.11f, 0, 0,
        0, 0, 0, 1, 0,
    ]);

    // ExtractPixels(scaleImage: 1/255) computes (byte − offset) · scale with offset 0.
    const float Scale = 1f / 255f;

    readonly int channels, height, width;
    readonly string? imageFolder;
    // For a grey model: the value ConvertToGrayscale → ExtractPixels gives each grey level, found once by
    // drawing all 256 levels through the same Skia calls. The colour filter works on each pixel alone, so a
    // grey image of the model's size (MNIST's) is looked up without the second decode, the copy and the draw.
    readonly float[]? grayLevels;

    /// <summary>Whether this loader gives what the pipeline's image steps give for <paramref name="options"/>: the stretching resize only.</summary>
    public static bool Covers(VqVaePipelineOptions options) => options.Resizing == ImageResizingEstimator.ResizingKind.Fill;

    public SkiaPixelLoader(VqVaeModelFolder model, VqVaePipelineOptions options)
    {
        if (!Covers(options)) throw new ArgumentException($"resizing {options.Resizing}: only Fill is read with Skia directly", nameof(options));
        (channels, height, width) = (model.Config.Channels, model.Config.Height, model.Config.Width);
        imageFolder = options.ImageFolder;
        if (channels == 1) grayLevels = GrayLevels();
    }

    static float[] GrayLevels()
    {
        using var levels = new SKBitmap(new SKImageInfo(256, 1, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int v = 0; v < 256; v++) levels.GetPixelSpan()[v] = (byte)v;
        var image = Supported(levels.Copy());
        image = Replace(image, Gray(image));
        using (image)
        {
            var values = new float[256];
            var data = image.GetPixelSpan();
            int red = image.ColorType == SKColorType.Bgra8888 ? 2 : 0;
            for (int v = 0; v < 256; v++) values[v] = (data[4 * v + red] - 0f) * Scale;
            return values;
        }
    }

    public void Load(IReadOnlyList<string> paths, ImageBatch batch)
    {
        for (int i = 0; i < paths.Count; i++)
        {
            // As LoadImages resolves a path (a full path stays itself); the check reads the same file.
            var path = imageFolder is null ? paths[i] : Path.Combine(imageFolder, paths[i]);
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                batch.Fail(i, $"cannot read file ({e.Message})");
                continue;
            }
            if (DecodeDirect(bytes, batch.LoadRow(i))) continue;
            if (ImageFileCheck.Problem(bytes) is { } problem) batch.Fail(i, problem);
            else if (Decode(bytes, batch.LoadRow(i)) is { } failed) batch.Fail(i, $"the pipeline failed: {failed}");
        }
    }

    /// <summary>
    /// A file of the model's size in 8-bit colour or grey, decoded once as the check decodes it (RGBA,
    /// premultiplied, no colour space: the bytes SKBitmap.Decode gives such a file, whatever the channel
    /// order) and taken from there: a colour model's planes are those bytes; a grey model's are looked up in
    /// <see cref="grayLevels"/> when every pixel is an opaque grey. False for any other file, or one whose
    /// pixels do not all decode (the check then says why), which takes the whole way.
    /// </summary>
    bool DecodeDirect(byte[] bytes, Span<float> pixels)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var codec = SKCodec.Create(stream);
        if (codec is null || codec.Info.Width != width || codec.Info.Height != height
            || codec.Info.ColorType is not (SKColorType.Gray8 or SKColorType.Rgba8888 or SKColorType.Bgra8888)
            || ImageLimits.Problem(width, height) is not null)
            return false;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        if (codec.GetPixels(info, out byte[] rgba) != SKCodecResult.Success) return false;
        int plane = width * height;
        for (int i = 0; i < plane; i++)
        {
            byte r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2];
            if (grayLevels is null)
            {
                pixels[i] = (r - 0f) * Scale;
                pixels[plane + i] = (g - 0f) * Scale;
                pixels[2 * plane + i] = (b - 0f) * Scale;
            }
            else if (r == g && g == b && rgba[4 * i + 3] == 255) pixels[i] = grayLevels[r];
            else return false;
        }
        return true;
    }

    /// <summary>LoadImages → ResizeImages (Fill) → (ConvertToGrayscale) → ExtractPixels, planar, 0..1; null, or what failed.</summary>
    string? Decode(byte[] bytes, Span<float> pixels)
    {
        // LoadImages: MLImage.CreateFromStream → SKBitmap.Decode, then any colour type but BGRA/RGBA copied to BGRA.
        var image = SKBitmap.Decode(new MemoryStream(bytes, writable: false));
        if (image is null) return "Invalid input stream contents";
        try
        {
            image = Supported(image);
            // ResizeImages: the image itself when it has the size, else Skia's nearest-neighbour resize.
            if (image.Width != width || image.Height != height)
                image = Replace(image, Supported(image.Resize(new SKSizeI(width, height), new SKSamplingOptions(SKFilterMode.Nearest))
                    ?? throw new InvalidOperationException("Couldn't resize the image")));
            if (channels == 1) image = Replace(image, Gray(image));
            Extract(image, pixels);
            return null;
        }
        finally
        {
            image.Dispose();
        }
    }

    static SKBitmap Supported(SKBitmap image)
    {
        if (image.ColorType is SKColorType.Bgra8888 or SKColorType.Rgba8888) return image;
        if (!image.CanCopyTo(SKColorType.Bgra8888)) { image.Dispose(); throw new InvalidOperationException("Unsupported image format."); }
        return Replace(image, image.Copy(SKColorType.Bgra8888));
    }

    static SKBitmap Gray(SKBitmap image)
    {
        var gray = new SKBitmap(image.Width, image.Height, isOpaque: true);
        using var paint = new SKPaint { ColorFilter = Grayscale };
        using var canvas = new SKCanvas(gray);
        canvas.DrawBitmap(image, 0f, 0f, paint);
        return Supported(gray);
    }

    static SKBitmap Replace(SKBitmap old, SKBitmap next)
    {
        if (!ReferenceEquals(old, next)) old.Dispose();
        return next;
    }

    /// <summary>ExtractPixels, planar: R (a grey model's one plane), then G and B.</summary>
    void Extract(SKBitmap image, Span<float> pixels)
    {
        ReadOnlySpan<byte> data = image.GetPixelSpan();
        bool bgra = image.ColorType == SKColorType.Bgra8888;
        int red = bgra ? 2 : 0, blue = bgra ? 0 : 2, plane = height * width, stride = image.RowBytes;
        for (int y = 0; y < height; y++)
        {
            var row = data.Slice(y * stride, 4 * width);
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                pixels[i] = (row[4 * x + red] - 0f) * Scale;
                if (channels == 1) continue;
                pixels[plane + i] = (row[4 * x + 1] - 0f) * Scale;
                pixels[2 * plane + i] = (row[4 * x + blue] - 0f) * Scale;
            }
        }
    }
}
