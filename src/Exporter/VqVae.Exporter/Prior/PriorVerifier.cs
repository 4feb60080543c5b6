using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using VqVae.Prior;
using static TorchSharp.torch;

namespace VqVae.Exporter.Prior;

/// <summary>Runs prior.onnx in ONNX Runtime beside the TorchSharp prior on random code maps (and labels) and measures the largest logit difference.</summary>
public static class PriorVerifier
{
    public const double Tolerance = 1e-4;

    public static double MaxLogitDifference(GatedPixelCnn model, string onnxPath, IReadOnlyList<int>? batchSizes = null, int seed = 1234)
    {
        var c = model.Config;
        model.eval();
        using var session = new InferenceSession(onnxPath);
        var random = new Random(seed);
        double worst = 0;
        foreach (var n in batchSizes ?? new[] { 1, 3, 64 })
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var codes = new long[n * c.CodeCount];
            for (int i = 0; i < codes.Length; i++) codes[i] = random.Next(c.CodebookSize);
            var labels = c.IsConditional ? Enumerable.Range(0, n).Select(_ => (long)random.Next(c.ClassCount)).ToArray() : null;
            var torchLogits = model.Forward(tensor(codes, new long[] { n, c.Height, c.Width }), labels is null ? null : tensor(labels))
                .contiguous().data<float>().ToArray();
            var ortLogits = Run(session, codes, labels, n, c);
            for (int i = 0; i < ortLogits.Length; i++) worst = Math.Max(worst, Math.Abs(ortLogits[i] - torchLogits[i]));
        }
        return worst;
    }

    static float[] Run(InferenceSession session, long[] codes, long[]? labels, int n, PriorConfig c)
    {
        var names = new List<string> { OnnxContract.Codes };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(codes, new long[] { n, c.Height, c.Width }) };
        if (labels is not null)
        {
            names.Add(OnnxContract.Label);
            values.Add(OrtValue.CreateTensorValueFromMemory(labels, new long[] { n }));
        }
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, names, values, new[] { OnnxContract.Logits });
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally { foreach (var v in values) v.Dispose(); }
    }
}
