using TorchSharp;
using VqVae.Exporter;
using VqVae.Model;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// codes.csv's grid is h rows by w columns, row-major: on a model whose latent grid is not square (4×3), a
/// swap of h and w in what `score` writes or `decode` reads shows.
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
        TestImages.WriteFolder(images, 5, 16, rgb: false, seed: 9);

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
}
