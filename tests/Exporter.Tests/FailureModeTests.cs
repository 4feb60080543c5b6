using VqVae.Checkpoints;
using VqVae.Exporter.Cli;
using VqVae.Prior;
using VqVae.TestSupport;

namespace VqVae.Exporter.Tests;

/// <summary>vqvae-export fed outputs that would destroy its input, and a disk that fills up.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class FailureModeTests(TrainedModels models) : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-export-failures-").FullName;
    public void Dispose() => Directory.Delete(scratch, recursive: true);

    string CopyTraining(string name)
    {
        var target = Path.Combine(scratch, name);
        foreach (var file in Directory.GetFiles(models[name].TrainingDir, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(models[name].TrainingDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    static string[] Listing(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)).Order().ToArray();

    [Theory]
    [InlineData("")]
    [InlineData(Checkpoint.BestFolder)]
    public void Force_never_deletes_the_run_being_exported(string outInside)
    {
        var run = CopyTraining("patch-gray");
        var before = Listing(run);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ExportCli.Run(["--model", run, "--out", Path.Combine(run, outInside), "--force"], output, error);
        Assert.Equal(ExportCli.BadInput, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{Path.Combine(run, outInside).TrimEnd('/')} is --model itself", line);
        Assert.Equal(before, Listing(run));
    }

    [Theory]
    [InlineData(Checkpoint.WeightsFile, "damaged (cut short or overwritten), its weights cannot be read; train the prior again")]
    [InlineData(PriorCheckpoint.ConfigFile, "damaged, not a whole prior configuration (it ends early or is not JSON")]
    public void A_damaged_prior_is_named_with_what_is_wrong_and_what_to_do(string file, string message)
    {
        var run = CopyTraining("patch-gray");
        var m = Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.BestFolder)).Model;
        var config = new PriorConfig { CodebookSize = m.CodebookSize, Height = m.LatentHeight, Width = m.LatentWidth, Channels = 8, Layers = 2 };
        var best = Path.Combine(run, PriorCheckpoint.DefaultFolder, Checkpoint.BestFolder);
        using (var prior = new GatedPixelCnn(config)) PriorCheckpoint.Save(best, prior, new PriorInfo { Prior = config });
        var path = Path.Combine(best, file);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = new StringWriter();
        var code = ExportCli.Run(["--model", run, "--out", Path.Combine(scratch, "onnx")], new StringWriter(), error);
        Assert.Equal(ExportCli.BadInput, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{path}: {message}", line);
        Assert.False(Directory.Exists(Path.Combine(scratch, "onnx")));
    }

    [Fact]
    public void A_full_disk_while_writing_the_graphs_is_one_line_naming_the_file()
    {
        var run = CopyTraining("conv-rgb");
        using var disk = new Tmpfs("256k");
        disk.Fill(leaveFree: 8 * 1024);
        var onnx = disk.File("onnx");
        var result = ChildProcess.Run("vqvae-export.dll", "--model", run, "--out", onnx);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"vqvae-export: error: no space left on device while writing {onnx}/", line);
        Assert.EndsWith(".onnx", line);
        Assert.Equal(["filler.bin"], Directory.GetFileSystemEntries(disk.Path).Select(Path.GetFileName));
    }
}
