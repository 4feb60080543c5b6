using VqVae.Checkpoints;
using VqVae.TestSupport;

namespace VqVae.Exporter.Tests;

/// <summary>Where the graphs go, and that an existing output is replaced only when asked, never left half-written.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ExporterTests(TrainedModels models) : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-export-out-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void A_training_folder_exports_its_best_checkpoint_beside_best()
    {
        var m = models["patch-gray"];
        Assert.Equal(Path.Combine(m.TrainingDir, OnnxContract.OutputFolder), m.OnnxDir);
        Assert.Equal(OnnxContract.Files.Append(OutputFolder.ManifestFile).Order(), Directory.GetFiles(m.OnnxDir).Select(Path.GetFileName).Order()!);
    }

    [Fact]
    public void A_bare_checkpoint_folder_exports_into_its_own_onnx_folder()
    {
        var checkpoint = CopyOf(models["patch-rgb"].TrainingDir, "bare") + "/" + Checkpoint.BestFolder;
        var result = VqVaeOnnxExporter.ExportCheckpoint(checkpoint);
        Assert.Equal(Path.GetFullPath(Path.Combine(checkpoint, OnnxContract.OutputFolder)), result.OutputDirectory);
        Assert.Equal(Path.GetFullPath(checkpoint), Path.GetFullPath(result.CheckpointDirectory!));
        Assert.All(result.Graphs, g => Assert.True(new FileInfo(g.Path).Length == g.Bytes && g.Bytes > 0));
    }

    [Fact]
    public void An_existing_output_folder_is_refused_untouched_and_force_replaces_only_an_export()
    {
        var training = CopyOf(models["conv-rgb"].TrainingDir, "existing");
        var outDir = Path.Combine(scratch, "out");
        Directory.CreateDirectory(outDir);
        var marker = Path.Combine(outDir, "keep.txt");
        File.WriteAllText(marker, "mine");

        var e = Assert.Throws<OutputRefusedException>(() => VqVaeOnnxExporter.ExportCheckpoint(training, outDir));
        Assert.Contains(outDir, e.Message);
        Assert.Equal(new[] { marker }, Directory.GetFiles(outDir));
        Assert.Equal("mine", File.ReadAllText(marker));

        // --force replaces only a folder the exporter wrote: a user's folder stays as it is.
        var forced = Assert.Throws<OutputRefusedException>(() => VqVaeOnnxExporter.ExportCheckpoint(training, outDir, force: true));
        Assert.Contains("not written by vqvae-export", forced.Message);
        Assert.Equal("mine", File.ReadAllText(marker));

        var exported = Path.Combine(scratch, "exported");
        VqVaeOnnxExporter.ExportCheckpoint(training, exported);
        VqVaeOnnxExporter.ExportCheckpoint(training, exported, force: true);
        Assert.Equal(OnnxContract.Files.Append(OutputFolder.ManifestFile).Order(), Directory.GetFiles(exported).Select(Path.GetFileName).Order()!);
        Assert.DoesNotContain(Directory.GetDirectories(scratch), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void Export_refuses_information_that_describes_another_model()
    {
        var m = models["patch-gray"];
        var other = m.Info with { Model = m.Info.Model with { CodebookSize = 99 } };
        Assert.Throws<ArgumentException>(() => VqVaeOnnxExporter.Export(m.Model, other, Path.Combine(scratch, "x")));
        Assert.False(Directory.Exists(Path.Combine(scratch, "x")));
    }

    string CopyOf(string dir, string name)
    {
        var target = Path.Combine(scratch, name);
        foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(dir, file);
            if (relative.StartsWith(OnnxContract.OutputFolder + Path.DirectorySeparatorChar)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
        return target;
    }
}
