using SkiaSharp;
using TorchSharp;
using VqVae.Exporter;
using VqVae.Model;
using VqVae.TestSupport;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// codes.csv's grid is h rows by w columns, row-major: on a model whose latent grid is not square (4×3), a
/// swap of h and w in what `score` writes or `decode` reads shows, and each row's codes are those of the
/// grid's positions row by row.
/// </summary>
public sealed class CodeGridOrderTests : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-grid-order-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void A_non_square_grid_is_written_h_then_w_and_decodes_to_the_same_reconstructions()
    {
        var config = new ModelConfig { Channels = 1, Height = 16, Width = 12, PatchSize = 4, HiddenSize = 8, CodebookSize = 6 };
        torch.manual_seed(5);
        var onnx = Path.Combine(scratch, "onnx");
        using (var model = new VqVaeModel(config))
            VqVaeOnnxExporter.Export(model, new CheckpointInfo { Model = config }, onnx);
        var images = Path.Combine(scratch, "images");
        ShapeImages.WriteFolder(images, 5, 16, rgb: false, seed: 9);

        var scored = Path.Combine(scratch, "scored");
        var score = Cli.Run("score", "--model", onnx, "--images", images, "--out", scored);
        Assert.True(score.ExitCode == 0, score.Err);
        var rows = File.ReadAllLines(Path.Combine(scored, FolderScorer.CodesFile)).Skip(1).ToList();
        Assert.Equal(5, rows.Count);
        // path, h = 16/4 = 4 rows, w = 12/4 = 3 columns, then 12 codes.
        Assert.All(rows, row => Assert.Equal(["4", "3"], row.Split(',')[1..3]));
        Assert.All(rows, row => Assert.Equal(3 + 12, row.Split(',').Length));

        var decoded = Path.Combine(scratch, "decoded");
        var decode = Cli.Run("decode", "--model", onnx, "--codes", Path.Combine(scored, FolderScorer.CodesFile), "--out", decoded);
        Assert.True(decode.ExitCode == 0, decode.Err);
        foreach (var file in Directory.GetFiles(Path.Combine(scored, "reconstructions"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Path.Combine(scored, "reconstructions"), file);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(decoded, "reconstructions", relative)));
        }
    }

    [Fact]
    public void The_codes_of_a_row_follow_the_grid_row_by_row()
    {
        // 16 high, 12 wide, p = 4: a grid of h = 4 rows by w = 3 columns. Patch (row i, column j) is flat grey
        // at 15 + 20·(3i + j), so every patch differs and grows with its row-major index.
        var config = new ModelConfig { Channels = 1, Height = 16, Width = 12, PatchSize = 4, HiddenSize = 8, CodebookSize = 6 };
        var pixels = new float[16 * 12];
        using (var bitmap = new SKBitmap(new SKImageInfo(12, 16, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 12; x++)
                {
                    byte v = (byte)(15 + 20 * (3 * (y / 4) + x / 4));
                    bitmap.SetPixel(x, y, new SKColor(v, v, v));
                    pixels[y * 12 + x] = v / 255f;
                }
            ShapeImages.Write(Path.Combine(scratch, "images", "grid.png"), bitmap);
        }
        torch.manual_seed(5);
        var onnx = Path.Combine(scratch, "onnx");
        using (var model = new VqVaeModel(config))
        using (torch.no_grad())
        {
            // Code k is the latent of the k-th patch in row-major order (k = 0 … 5: rows 0 and 1). The patch
            // encoder is linear in a flat patch's grey, so the brighter patches of rows 2 and 3 are nearest code 5.
            var latents = model.Encode(torch.tensor(pixels, [1, 1, 16, 12])).reshape(-1, config.HiddenSize);
            model.codebook.Assign(latents[..6]);
            VqVaeOnnxExporter.Export(model, new CheckpointInfo { Model = config }, onnx);
        }

        var scored = Path.Combine(scratch, "scored");
        var score = Cli.Run("score", "--model", onnx, "--images", Path.Combine(scratch, "images"), "--out", scored);
        Assert.True(score.ExitCode == 0, score.Err);
        var row = File.ReadAllLines(Path.Combine(scored, FolderScorer.CodesFile))[1].Split(',');
        // Row by row: 0 1 2 | 3 4 5 | 5 5 5 | 5 5 5. Column by column it would read 0 3 5 5 1 4 5 5 2 5 5 5.
        Assert.Equal(["grid.png", "4", "3", "0", "1", "2", "3", "4", "5", "5", "5", "5", "5", "5", "5"], row);
    }
}
