using Microsoft.ML.OnnxRuntime;
using VqVae.Exporter.Verification;
using VqVae.Model;
using Xunit.Abstractions;

namespace VqVae.Exporter.Tests;

/// <summary>The one parity check every exported model gets: ONNX Runtime against TorchSharp, within 1e-5, no code mismatch, every position compared.</summary>
static class ParityCheck
{
    /// <summary>Each named model with optimisations off and on.</summary>
    public static TheoryData<string, GraphOptimizationLevel> Cases(IEnumerable<string> names)
    {
        var data = new TheoryData<string, GraphOptimizationLevel>();
        foreach (var name in names)
            foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
                data.Add(name, level);
        return data;
    }

    public static void AssertWithinTolerance(string name, VqVaeModel model, string onnxDir, float[] images, GraphOptimizationLevel level, ITestOutputHelper log)
    {
        var report = OnnxVerifier.Verify(model, onnxDir, new VerifyOptions { Images = images, Optimization = level });
        log.WriteLine($"{name} {level}: encoder {report.EncoderMaxDiff:E2}, quantizer {report.QuantizerMaxDiff:E2}, decoder {report.DecoderMaxDiff:E2}, " +
            $"chain {report.ChainMaxDiff:E2}, codes {report.CodesCompared} compared, {report.CodeTies} ties, {report.CodeMismatches} mismatches");
        Assert.True(report.EncoderMaxDiff <= 1e-5, $"encoder max diff {report.EncoderMaxDiff}");
        Assert.True(report.QuantizerMaxDiff <= 1e-5, $"quantizer max diff {report.QuantizerMaxDiff}");
        Assert.True(report.DecoderMaxDiff <= 1e-5, $"decoder max diff {report.DecoderMaxDiff}");
        Assert.True(report.ChainMaxDiff <= 1e-5, $"chain max diff {report.ChainMaxDiff}");
        Assert.Equal(0, report.CodeMismatches);
        Assert.True(report.Passed);
        Assert.True(report.UsedImages);
        // Every code of every position: (1 + 3 + 64) × 2 image batches × 2 comparisons (quantizer, chain) × codes per position.
        var c = model.Config;
        Assert.Equal(68L * 2 * 2 * c.LatentHeight * c.LatentWidth * c.CodesPerPosition, report.CodesCompared);
    }
}
