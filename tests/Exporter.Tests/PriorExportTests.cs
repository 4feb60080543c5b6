using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Exporter.Cli;
using VqVae.Exporter.Prior;
using VqVae.Model;
using VqVae.Prior;
using Xunit.Abstractions;

namespace VqVae.Exporter.Tests;

/// <summary>prior.onnx: logits against TorchSharp (batch 1, 3, 64), its interface, and `vqvae-export` picking up a run's prior.</summary>
public sealed class PriorExportTests(ITestOutputHelper log) : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-prior-export-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    static GatedPixelCnn Prior(int classCount, int seed)
    {
        torch.manual_seed(seed);
        var model = new GatedPixelCnn(new PriorConfig { CodebookSize = 16, Height = 5, Width = 4, Channels = 16, Layers = 3, ClassCount = classCount });
        // Random biases everywhere, so a misplaced bias or a wrong mask shows in the logits.
        using (torch.no_grad())
            foreach (var p in model.parameters()) p.add_(torch.randn_like(p) * 0.1);
        model.eval();
        return model;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void Logits_match_torch(int classCount)
    {
        using var prior = Prior(classCount, seed: 5 + classCount);
        var path = Path.Combine(scratch, "prior.onnx");
        File.WriteAllBytes(path, PriorGraph.Build(prior, new PriorInfo { Prior = prior.Config }, null).ToByteArray());
        double diff = PriorVerifier.MaxLogitDifference(prior, path, new[] { 1, 3, 64 });
        log.WriteLine($"classes {classCount}: max |ORT − Torch| = {diff:E2}");
        Assert.True(diff <= 1e-5, $"logits differ by {diff}");
    }

    [Fact]
    public void Declares_codes_label_and_logits_with_the_prior_in_its_metadata()
    {
        using var prior = Prior(10, seed: 2);
        var path = Path.Combine(scratch, "prior.onnx");
        File.WriteAllBytes(path, PriorGraph.Build(prior, new PriorInfo { Prior = prior.Config, Epoch = 4 }, null).ToByteArray());
        using var session = new InferenceSession(path);
        Assert.Equal(new[] { OnnxContract.Codes, OnnxContract.Label }, session.InputNames);
        Assert.Equal(new[] { OnnxContract.Logits }, session.OutputNames);
        Assert.Equal(new[] { -1, 5, 4 }, session.InputMetadata[OnnxContract.Codes].Dimensions);
        Assert.Equal(new[] { -1, 16, 5, 4 }, session.OutputMetadata[OnnxContract.Logits].Dimensions);
        var info = PriorInfo.FromJson(session.ModelMetadata.CustomMetadataMap[OnnxContract.PriorMetadataKey], path);
        Assert.Equal(prior.Config, info.Prior);
        Assert.Equal(4, info.Epoch);
    }

    /// <summary>A training folder: a random VQ-VAE in best/ and a prior over its codes in prior/best/.</summary>
    string Run(int priorCodebookSize)
    {
        var run = Path.Combine(scratch, $"run-{priorCodebookSize}");
        torch.manual_seed(1);
        var config = new ModelConfig { Channels = 1, Height = 20, Width = 16, PatchSize = 4, HiddenSize = 8, CodebookSize = 16 };
        using (var vqvae = new VqVaeModel(config))
            Checkpoint.Save(Path.Combine(run, Checkpoint.BestFolder), vqvae, new CheckpointInfo { Model = config });
        using var prior = Prior(0, seed: 3);
        var priorConfig = prior.Config with { CodebookSize = priorCodebookSize };
        using var saved = priorCodebookSize == prior.Config.CodebookSize ? null : new GatedPixelCnn(priorConfig);
        PriorCheckpoint.Save(Path.Combine(run, PriorCheckpoint.DefaultFolder, Checkpoint.BestFolder), saved ?? prior, new PriorInfo { Prior = priorConfig });
        return run;
    }

    [Fact]
    public void Export_of_a_run_with_a_prior_writes_and_verifies_prior_onnx()
    {
        var run = Run(priorCodebookSize: 16);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ExportCli.Run(new[] { "--model", run, "--verify" }, output, error);
        log.WriteLine(output.ToString());
        Assert.True(code == 0, error.ToString());
        Assert.True(File.Exists(Path.Combine(run, OnnxContract.OutputFolder, OnnxContract.PriorFile)));
        Assert.Contains("prior logits: max |ORT − Torch|", output.ToString());
        Assert.Contains(OnnxContract.PriorFile, output.ToString());
    }

    [Fact]
    public void A_prior_over_another_codebook_is_refused_in_one_line_and_nothing_is_written()
    {
        var run = Run(priorCodebookSize: 32);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ExportCli.Run(new[] { "--model", run }, output, error);
        Assert.Equal(ExportCli.BadInput, code);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.Contains("32 codes", error.ToString());
        Assert.False(Directory.Exists(Path.Combine(run, OnnxContract.OutputFolder)));
    }
}
