using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Model;
using VqVae.Exporter.Verification;
using Xunit.Abstractions;

namespace VqVae.Exporter.Tests;

/// <summary>ONNX Runtime against TorchSharp, on random and structured images, batch 1, 3 and 64, optimisations off and on.</summary>
[Collection(ModelsCollection.Name)]
public sealed class ParityTests(TrainedModels models, ITestOutputHelper log)
{
    public static TheoryData<string, GraphOptimizationLevel> Cases()
    {
        var data = new TheoryData<string, GraphOptimizationLevel>();
        foreach (var name in TrainedModels.Names)
            foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
                data.Add(name, level);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void Graphs_match_torch_within_tolerance(string name, GraphOptimizationLevel level)
    {
        var m = models[name];
        var report = OnnxVerifier.Verify(m.Model, m.OnnxDir, new VerifyOptions { Images = m.Images, Optimization = level });
        log.WriteLine($"{name} {level}: encoder {report.EncoderMaxDiff:E2}, quantizer {report.QuantizerMaxDiff:E2}, " +
            $"decoder {report.DecoderMaxDiff:E2}, chain {report.ChainMaxDiff:E2}, codes {report.CodesCompared} compared, " +
            $"{report.CodeTies} ties, {report.CodeMismatches} mismatches");

        Assert.True(report.EncoderMaxDiff <= 1e-5, $"encoder max diff {report.EncoderMaxDiff}");
        Assert.True(report.QuantizerMaxDiff <= 1e-5, $"quantizer max diff {report.QuantizerMaxDiff}");
        Assert.True(report.DecoderMaxDiff <= 1e-5, $"decoder max diff {report.DecoderMaxDiff}");
        Assert.True(report.ChainMaxDiff <= 1e-5, $"chain max diff {report.ChainMaxDiff}");
        Assert.Equal(0, report.CodeMismatches);
        Assert.True(report.Passed);
        Assert.True(report.UsedImages);
        // Every position of every batch was compared: (1 + 3 + 64) × 2 image batches × 2 comparisons (quantizer, chain).
        var c = m.Model.Config;
        Assert.Equal(68L * 2 * 2 * c.LatentHeight * c.LatentWidth, report.CodesCompared);
    }

    [Theory, MemberData(nameof(Names))]
    public void Trained_codebook_is_not_trivial(string name)
    {
        // Parity of the nearest-code search means little if every vector picks the same code.
        var m = models[name];
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var x = TorchSharp.torch.tensor(m.Images, new long[] { m.Images.Length / (m.Model.Config.Channels * m.Model.Config.Height * m.Model.Config.Width), m.Model.Config.Channels, m.Model.Config.Height, m.Model.Config.Width });
        var (codes, _) = m.Model.Quantize(m.Model.Encode(x));
        var distinct = codes.unique().Item1.shape[0];
        log.WriteLine($"{name}: {distinct} distinct codes on the test images");
        Assert.True(distinct >= 4, $"{name}: only {distinct} code(s) used");
    }

    public static TheoryData<string> Names() => new(TrainedModels.Names);
}

/// <summary>The verifier must fail a model that is not what the graphs hold; otherwise its passes mean nothing.</summary>
[Collection(ModelsCollection.Name)]
public sealed class VerifierDetectsDifferencesTests(TrainedModels models)
{
    static readonly VerifyOptions Quick = new() { BatchSizes = new[] { 3 } };

    [Fact]
    public void A_nudged_encoder_weight_fails_encoder_and_decoder_checks_stay_clean()
    {
        var m = models["conv-gray"];
        var (model, _) = Checkpoint.Load(m.TrainingDir);
        using (model)
        {
            using (torch.no_grad()) ((ConvEncoder)model.encoder).project.bias!.add_(1e-3);
            var report = OnnxVerifier.Verify(model, m.OnnxDir, Quick);
            Assert.False(report.Passed);
            Assert.True(report.EncoderMaxDiff > 5e-4, $"encoder diff {report.EncoderMaxDiff}");
            Assert.True(report.DecoderMaxDiff <= 1e-5);
        }
    }

    [Fact]
    public void Swapped_codes_are_mismatches_not_ties()
    {
        var m = models["patch-gray"];
        var (model, _) = Checkpoint.Load(m.TrainingDir);
        using (model)
        {
            using (torch.no_grad())
            {
                // Swap every pair of codes: Torch's index for a vector now names another code than ORT's.
                var w = model.codebook.weight;
                var permutation = torch.arange(w.shape[0]).reshape(-1, 2).flip(1).flatten();
                w.copy_(w.index_select(0, permutation));
            }
            var report = OnnxVerifier.Verify(model, m.OnnxDir, Quick);
            Assert.False(report.Passed);
            Assert.True(report.CodeMismatches > 0);
            Assert.True(report.DecoderMaxDiff > 1e-3, $"decoder diff {report.DecoderMaxDiff}");
        }
    }
}
