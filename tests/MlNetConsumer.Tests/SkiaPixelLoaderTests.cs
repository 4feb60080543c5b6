using Microsoft.ML;
using SkiaSharp;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// The batched scorers decode files with Skia directly, by the Skia calls of ML.NET's image steps: their
/// pixels must be the ML.NET steps' bit for bit, on every kind of file a folder holds — the model's size and
/// others (resized), grey, colour, palette, with alpha, 16-bit, JPEG, GIF, BMP — and a bad file must fail alike.
/// </summary>
[Collection(TrainedCollection.Name)]
public sealed class SkiaPixelLoaderTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-skia-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    public static TheoryData<string> Cases => new() { "gray", "rgb" };

    List<string> VariedFiles(TrainedCase c)
    {
        var rng = new Random(11);
        var files = new List<string>();
        string Add(string name) { var path = Path.Combine(temp, c.Name, name); files.Add(path); return path; }
        int size = c.Config.Height;
        foreach (var (edge, rgb) in new[] { (size, false), (size, true), (size * 2 + 3, true), (size / 2 + 1, false), (size + 5, true) })
        {
            using var shapes = TestImages.Shapes(edge, rgb, rng);
            TestImages.Write(Add($"shapes-{edge}-{rgb}.png"), shapes);
            TestImages.Write(Add($"shapes-{edge}-{rgb}.jpg"), shapes, SKEncodedImageFormat.Jpeg);
            TestImages.WritePng16(Add($"shapes-{edge}-{rgb}-16bit.png"), shapes);
            using (var gray = shapes.Copy(SKColorType.Gray8)) TestImages.Write(Add($"shapes-{edge}-{rgb}-gray8.png"), gray);
            File.WriteAllBytes(Add($"shapes-{edge}-{rgb}.bmp"), Bmp24(shapes));
            using var translucent = shapes.Copy(SKColorType.Rgba8888);
            for (int y = 0; y < edge; y++)
                for (int x = 0; x < edge; x++)
                    translucent.SetPixel(x, y, translucent.GetPixel(x, y).WithAlpha((byte)(x * 255 / edge)));
            TestImages.Write(Add($"shapes-{edge}-{rgb}-alpha.png"), translucent);
        }
        // Only one side off the model's: resized all the same.
        using (var shapes = TestImages.Shapes(size + 4, true, rng))
        using (var wide = shapes.Resize(new SKSizeI(size + 4, size), new SKSamplingOptions(SKFilterMode.Linear)))
            TestImages.Write(Add("wide.png"), wide);
        // A one-pixel GIF (a palette image), written out byte by byte: Skia reads GIF but does not write it.
        File.WriteAllBytes(Add("one-pixel.gif"), Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs="));
        TestImages.WriteCorruptPng(Add("corrupt.png"), size, rng);
        TestImages.WriteTruncatedPng(Add("truncated.png"), size, rng);
        File.WriteAllBytes(Add("empty.png"), []);
        return files;
    }

    /// <summary>A 24-bit BMP (Skia reads BMP but does not write it): bottom-up BGR rows padded to 4 bytes.</summary>
    static byte[] Bmp24(SKBitmap image)
    {
        int w = image.Width, h = image.Height, stride = (3 * w + 3) & ~3, size = 54 + stride * h;
        var bytes = new byte[size];
        void Int(int at, int value) => BitConverter.TryWriteBytes(bytes.AsSpan(at), value);
        bytes[0] = (byte)'B'; bytes[1] = (byte)'M';
        Int(2, size); Int(10, 54); Int(14, 40); Int(18, w); Int(22, h);
        bytes[26] = 1; bytes[28] = 24; Int(34, stride * h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var p = image.GetPixel(x, y);
                int at = 54 + (h - 1 - y) * stride + 3 * x;
                (bytes[at], bytes[at + 1], bytes[at + 2]) = (p.Blue, p.Green, p.Red);
            }
        return bytes;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Skia_gives_the_image_steps_pixels_bit_for_bit_and_the_same_failures(string name)
    {
        var c = name == "gray" ? models.Gray : models.Rgb;
        var model = VqVaeModelFolder.Open(c.OnnxFolder);
        var files = VariedFiles(c);
        using var rows = new RowImageScorer(VqVaeScoringModel.ForImages(new MLContext(seed: 0), model), model);
        using var batched = new BatchedImageScorer(new MLContext(seed: 0), model, batchSize: files.Count);
        var batch = batched.Score(files);
        int compared = 0;
        for (int i = 0; i < files.Count; i++)
        {
            var one = rows.Score([files[i]]);
            Assert.Equal(one.Problem(0), batch.Problem(i));
            if (one.Problem(0) is not null) continue;
            var (expected, actual) = (one.Pixels(0).ToArray(), batch.Pixels(i).ToArray());
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{Path.GetFileName(files[i])}: pixels differ from ML.NET's image steps");
            compared++;
        }
        Assert.Equal(files.Count - 3, compared);  // all but the corrupt, truncated and empty files
    }
}
