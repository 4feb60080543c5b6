using VqVae.Exporter;
using VqVae.TestSupport;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// A run written by an earlier version (tests/fixtures/legacy) exports again, and its old model folder
/// scores through ML.NET with the same codes and reconstructions as the graphs exported today.
/// </summary>
public sealed class LegacyFixtureTests : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-legacy-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Its_old_graphs_and_a_fresh_export_score_alike()
    {
        var run = LegacyFixture.CopyTo(scratch);
        var fresh = Path.Combine(scratch, "fresh-onnx");
        VqVaeOnnxExporter.ExportCheckpoint(run, fresh);
        var images = Path.Combine(scratch, "images");
        ShapeImages.WriteFolder(images, 6, 28, rgb: false, seed: 3);

        var old = Cli.Run("score", "--model", Path.Combine(LegacyFixture.Run, "onnx"), "--images", images, "--out", Path.Combine(scratch, "old"));
        var now = Cli.Run("score", "--model", fresh, "--images", images, "--out", Path.Combine(scratch, "now"));
        Assert.True(old.ExitCode == 0, old.Err);
        Assert.True(now.ExitCode == 0, now.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(scratch, "old", FolderScorer.CodesFile)), File.ReadAllText(Path.Combine(scratch, "now", FolderScorer.CodesFile)));
        Assert.Equal(Directory.GetFiles(Path.Combine(scratch, "old", "reconstructions")).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).SelectMany(b => b),
            Directory.GetFiles(Path.Combine(scratch, "now", "reconstructions")).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).SelectMany(b => b));
    }
}
