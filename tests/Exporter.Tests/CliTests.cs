using System.Text.Json.Nodes;
using VqVae.Checkpoints;
using VqVae.Exporter.Cli;
using VqVae.TestSupport;

namespace VqVae.Exporter.Tests;

/// <summary>vqvae-export end to end through its entry point: output, exit codes, one-line errors, nothing half-written.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class CliTests(TrainedModels models) : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-export-cli-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    static (int Code, string Out, string Err) Run(params string[] args) => ExportCliRunner.Run(args);

    [Fact]
    public void Exports_and_verifies_a_training_folder()
    {
        var training = CopyTraining("patch-gray");
        var (code, output, error) = Run("--model", training, "--verify");
        Assert.True(code == 0, error);
        Assert.Equal("", error);
        foreach (var file in OnnxContract.Files) Assert.Contains(file, output);
        Assert.Contains("image float [N, 1, 28, 28]", output);
        Assert.Contains("codes int64 [N, 7, 7]", output);
        Assert.Contains("chain encoder→quantizer→decoder", output);
        Assert.Contains("Verification passed.", output);
        Assert.True(File.Exists(Path.Combine(training, OnnxContract.OutputFolder, OnnxContract.DecoderFile)));
    }

    [Fact]
    public void A_missing_folder_is_one_line_naming_it()
    {
        var missing = Path.Combine(scratch, "nope");
        var (code, _, error) = Run("--model", missing);
        AssertBadInput(code, error, missing, "no such checkpoint folder");
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData(Checkpoint.WeightsFile)]
    [InlineData(Checkpoint.ConfigFile)]
    public void A_half_written_checkpoint_names_the_missing_file(string removed)
    {
        var training = CopyTraining("patch-rgb");
        var best = Path.Combine(training, Checkpoint.BestFolder);
        File.Delete(Path.Combine(best, removed));
        var (code, _, error) = Run("--model", best);
        AssertBadInput(code, error, Path.Combine(best, removed), "missing");
        AssertNoOutput(best);
    }

    [Fact]
    public void A_config_that_does_not_match_the_weights_is_refused()
    {
        var training = CopyTraining("patch-gray");
        var config = Path.Combine(training, Checkpoint.BestFolder, Checkpoint.ConfigFile);
        var json = JsonNode.Parse(File.ReadAllText(config))!;
        json["model"]!["hidden_size"] = 48;
        File.WriteAllText(config, json.ToJsonString());
        var (code, _, error) = Run("--model", training);
        AssertBadInput(code, error, Path.Combine(training, Checkpoint.BestFolder, Checkpoint.WeightsFile), "do not match");
        AssertNoOutput(training);
    }

    [Fact]
    public void An_existing_output_folder_without_force_is_refused_and_kept()
    {
        var training = CopyTraining("conv-gray");
        var outDir = Path.Combine(training, OnnxContract.OutputFolder);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "keep me");
        var (code, _, error) = Run("--model", training);
        AssertBadInput(code, error, outDir, "already exists");
        Assert.Equal(new[] { "notes.txt" }, Directory.GetFiles(outDir).Select(Path.GetFileName));

        // Not the exporter's folder: --force leaves it too.
        var (refused, _, refusedError) = Run("--model", training, "--force");
        AssertBadInput(refused, refusedError, outDir, "not written by vqvae-export");
        Assert.Equal(new[] { "notes.txt" }, Directory.GetFiles(outDir).Select(Path.GetFileName));

        Directory.Delete(outDir, recursive: true);
        Assert.Equal(0, Run("--model", training).Code);
        var (forced, _, forcedError) = Run("--model", training, "--force");
        Assert.True(forced == 0, forcedError);
        Assert.Equal(OnnxContract.Files.Append(OutputFolder.ManifestFile).Order(), Directory.GetFiles(outDir).Select(Path.GetFileName).Order()!);
    }

    [Theory]
    [InlineData("rvq")]
    [InlineData("fsq")]
    public void Int8_of_a_quantizer_it_does_not_cover_is_one_line_and_writes_nothing(string kind)
    {
        var config = kind == "rvq"
            ? new ModelConfig { HiddenSize = 8, CodebookSize = 16, Quantizer = QuantizerKind.Rvq, Depth = 2 }
            : new ModelConfig { HiddenSize = 8, CodebookSize = 15, Quantizer = QuantizerKind.Fsq, Levels = FsqLevels.Parse("5,3") };
        var run = Path.Combine(scratch, kind);
        using (var model = new Model.VqVaeModel(config))
            Checkpoint.Save(Path.Combine(run, Checkpoint.BestFolder), model, new CheckpointInfo { Model = config });
        var (code, _, error) = Run("--model", run, "--int8");
        Assert.Equal(ExportCli.BadInput, code);
        Assert.Equal($"vqvae-export: int8 export covers the vq quantizer; this model's is {kind} (export it without --int8)",
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal([Checkpoint.BestFolder], Directory.GetFileSystemEntries(run).Select(Path.GetFileName));
    }

    [Fact]
    public void A_missing_model_option_is_bad_input()
    {
        var (code, _, error) = Run("--verify");
        Assert.Equal(ExportCli.BadInput, code);
        Assert.Contains("--model", error);
    }

    static void AssertBadInput(int code, string error, string path, string problem)
    {
        Assert.Equal(ExportCli.BadInput, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(path, line);
        Assert.Contains(problem, line);
    }

    /// <summary>No onnx/ folder and no temporary folder left anywhere under <paramref name="dir"/>.</summary>
    static void AssertNoOutput(string dir)
    {
        Assert.False(Directory.Exists(Path.Combine(dir, OnnxContract.OutputFolder)));
        Assert.Empty(Directory.GetDirectories(dir, "*.tmp-*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(dir, OnnxContract.OutputFolder, SearchOption.AllDirectories));
    }

    string CopyTraining(string name)
    {
        var source = models[name].TrainingDir;
        var target = Path.Combine(scratch, name);
        foreach (var folder in new[] { Checkpoint.BestFolder, Checkpoint.LastFolder })
        {
            Directory.CreateDirectory(Path.Combine(target, folder));
            foreach (var file in Directory.GetFiles(Path.Combine(source, folder)))
                File.Copy(file, Path.Combine(target, folder, Path.GetFileName(file)));
        }
        return target;
    }
}
