using VqVae.Checkpoints;
using VqVae.Exporter;
using VqVae.Model;
using VqVae.TestSupport;

namespace VqVaeMl.MlNet.Tests;

/// <summary>A model folder is read from its graphs' metadata, and a broken one is refused before any work.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ModelFolderTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-folders-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void A_training_folder_and_its_onnx_folder_open_to_the_trained_configuration()
    {
        var fromTraining = VqVaeModelFolder.Open(models.Gray.TrainingDir);
        var fromOnnx = VqVaeModelFolder.Open(models.Gray.OnnxDir);
        Assert.Equal(Path.GetFullPath(models.Gray.OnnxDir), fromTraining.Folder);
        Assert.Equal(models.Gray.Config, fromTraining.Config);
        Assert.Equal(models.Gray.Config, fromOnnx.Config);
        Assert.Equal(models.Gray.Config.LatentHeight * models.Gray.Config.LatentWidth, fromOnnx.CodeCount);
    }

    [Fact]
    public void A_folder_missing_a_graph_is_refused_naming_the_file_and_the_cli_writes_nothing()
    {
        var folder = CopyGraphs(models.Gray.OnnxDir, "missing");
        File.Delete(Path.Combine(folder, OnnxContract.QuantizerFile));

        var e = Assert.Throws<InvalidDataException>(() => VqVaeModelFolder.Open(folder));
        Assert.Contains("missing quantizer.onnx", e.Message);
        Assert.Contains(folder, e.Message);

        var output = Path.Combine(temp, "out-missing");
        var run = Cli.Run("score", "--model", folder, "--images", models.Gray.ImagesFolder, "--out", output);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("missing quantizer.onnx", run.Err);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Graphs_with_different_codebook_sizes_are_refused_naming_both_files()
    {
        var other = Export(models.Gray.Config with { CodebookSize = 8 }, "k8");
        var folder = CopyGraphs(models.Gray.OnnxDir, "mixed-k");
        File.Copy(Path.Combine(other, OnnxContract.DecoderFile), Path.Combine(folder, OnnxContract.DecoderFile), overwrite: true);

        var e = Assert.Throws<InvalidDataException>(() => VqVaeModelFolder.Open(folder));
        Assert.Contains("encoder.onnx and decoder.onnx", e.Message);
        Assert.Contains($"codebook_size {models.Gray.Config.CodebookSize} vs 8", e.Message);

        var run = Cli.Run("decode", "--model", folder, "--codes", Path.Combine(temp, "none.csv"), "--out", Path.Combine(temp, "out-k"));
        // decode reads decoder.onnx alone, so this folder's decoder is fine for it; score is what must refuse.
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("codes file not found", run.Err);
        var score = Cli.Run("score", "--model", folder, "--images", models.Gray.ImagesFolder, "--out", Path.Combine(temp, "out-k"));
        Assert.Equal(2, score.ExitCode);
        Assert.Contains("codebook_size", score.Err);
    }

    [Fact]
    public void Graphs_with_different_channels_are_refused()
    {
        var folder = CopyGraphs(models.Gray.OnnxDir, "mixed-channels");
        File.Copy(Path.Combine(models.Rgb.OnnxDir, OnnxContract.QuantizerFile), Path.Combine(folder, OnnxContract.QuantizerFile), overwrite: true);
        var e = Assert.Throws<InvalidDataException>(() => VqVaeModelFolder.Open(folder));
        Assert.Contains("encoder.onnx and quantizer.onnx", e.Message);
        Assert.Contains("channels 1 vs 3", e.Message);
    }

    [Fact]
    public void A_folder_without_graphs_and_a_graph_that_is_not_onnx_are_refused()
    {
        var empty = Path.Combine(temp, "empty");
        Directory.CreateDirectory(empty);
        Assert.Contains("no ONNX graphs", Assert.Throws<InvalidDataException>(() => VqVaeModelFolder.Open(empty)).Message);

        var folder = CopyGraphs(models.Gray.OnnxDir, "garbage");
        File.WriteAllText(Path.Combine(folder, OnnxContract.EncoderFile), "not a protobuf");
        var e = Assert.Throws<InvalidDataException>(() => VqVaeModelFolder.Open(folder));
        Assert.Contains("encoder.onnx: not a readable ONNX graph", e.Message);
    }

    string CopyGraphs(string from, string name)
    {
        var folder = Path.Combine(temp, name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(from, "*.onnx")) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    string Export(ModelConfig config, string name)
    {
        using var model = new VqVaeModel(config);
        var folder = Path.Combine(temp, name);
        VqVaeOnnxExporter.Export(model, new CheckpointInfo { Model = config }, folder);
        return folder;
    }
}
