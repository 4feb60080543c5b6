using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Exporter.Verification;
using VqVae.Model;
using VqVae.TestSupport;
using Xunit.Abstractions;

namespace VqVae.Exporter.Tests;

/// <summary>ONNX Runtime against TorchSharp, on random and structured images, batch 1, 3 and 64, optimisations off and on.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ParityTests(TrainedModels models, ITestOutputHelper log)
{
    public static TheoryData<string, GraphOptimizationLevel> Cases() => ParityCheck.Cases(TrainedModels.Names);

    [Theory, MemberData(nameof(Cases))]
    public void Graphs_match_torch_within_tolerance(string name, GraphOptimizationLevel level)
    {
        var m = models[name];
        ParityCheck.AssertWithinTolerance(name, m.Model, m.OnnxDir, m.Pixels, level, log);
    }

    [Theory, MemberData(nameof(Names))]
    public void Trained_codebook_is_not_trivial(string name)
    {
        // Parity of the nearest-code search means little if every vector picks the same code.
        var m = models[name];
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var x = TorchSharp.torch.tensor(m.Pixels, new long[] { m.Pixels.Length / (m.Model.Config.Channels * m.Model.Config.Height * m.Model.Config.Width), m.Model.Config.Channels, m.Model.Config.Height, m.Model.Config.Width });
        var (codes, _) = m.Model.Quantize(m.Model.Encode(x));
        var distinct = codes.unique().Item1.shape[0];
        log.WriteLine($"{name}: {distinct} distinct codes on the test images");
        Assert.True(distinct >= 4, $"{name}: only {distinct} code(s) used");
    }

    public static TheoryData<string> Names() => new(TrainedModels.Names);
}

/// <summary>The verifier must fail a model that is not what the graphs hold; otherwise its passes mean nothing.</summary>
[Collection(TrainedModelsCollection.Name)]
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
