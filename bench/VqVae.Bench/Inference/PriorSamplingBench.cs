using System.Diagnostics;
using Google.Protobuf;
using VqVae.Checkpoints;
using VqVae.Exporter;
using VqVae.Exporter.Graphs;
using VqVae.Exporter.Prior;
using VqVae.Model;
using VqVae.Prior;
using VqVae.Training;
using VqVaeMl.MlNet.Generation;
using static TorchSharp.torch;

namespace VqVae.Bench;

/// <summary>Prior sampling of MNIST digits (code maps drawn by prior.onnx, decoded by decoder.onnx) with the table decoder graph and with the direct one.</summary>
public sealed record PriorSamplingResult(int Samples, Samples TableSamplesPerSecond, Samples DirectSamplesPerSecond, string Measured)
{
    public double Speedup => TableSamplesPerSecond.Median / DirectSamplesPerSecond.Median;
}

/// <summary>
/// A freshly initialised mnist model and prior (the work per sample does not depend on the weights),
/// exported once; a second folder differs only in its decoder.onnx, the direct graph. Both are sampled
/// by the library's <see cref="PriorSampler"/> (what `vqvae-score sample` runs), passes alternating.
/// </summary>
public static class PriorSamplingBench
{
    public const int SampleCount = 100;

    public static PriorSamplingResult Run(BenchSettings settings, string workDir, Action<string> log)
    {
        var config = Presets.Get("mnist").Model;
        var info = new CheckpointInfo { Model = config };
        manual_seed(42);
        using var model = new VqVaeModel(config);
        model.eval();
        var priorConfig = new PriorConfig { CodebookSize = config.CodebookSize, Height = config.LatentHeight, Width = config.LatentWidth };
        using var prior = new GatedPixelCnn(priorConfig);
        prior.eval();
        var table = Path.Combine(workDir, "sampling-table");
        VqVaeOnnxExporter.Export(model, info, table, force: true, prior: PriorGraph.Build(prior, new PriorInfo { Prior = priorConfig }, info));
        var direct = Path.Combine(workDir, "sampling-direct");
        Directory.CreateDirectory(direct);
        foreach (var file in OnnxContract.Files.Append(OnnxContract.PriorFile))
            File.Copy(Path.Combine(table, file), Path.Combine(direct, file), overwrite: true);
        File.WriteAllBytes(Path.Combine(direct, OnnxContract.DecoderFile), VqVaeGraphs.Decoder(model, info, allowTable: false).ToByteArray());

        log($"prior sampling: {SampleCount} MNIST samples, table and direct decoder graphs alternating");
        using var withTable = PriorSampler.Open(table, settings.Threads);
        using var withDirect = PriorSampler.Open(direct, settings.Threads);
        var tableRates = new List<double>();
        var directRates = new List<double>();
        for (int pass = 0; pass <= settings.InferenceRepeats; pass++)
        {
            double t = SamplesPerSecond(withTable, pass), d = SamplesPerSecond(withDirect, pass);
            if (pass == 0) continue;   // the warm-up pass
            tableRates.Add(t);
            directRates.Add(d);
        }
        return new PriorSamplingResult(SampleCount, new Samples(tableRates), new Samples(directRates),
            $"PriorSampler.Sample({SampleCount}) (what `vqvae-score sample --count {SampleCount}` runs: the maps drawn position by position by prior.onnx, then decoded) " +
            $"on a freshly initialised mnist model and prior, {settings.Threads} ONNX Runtime threads; the two folders differ only in decoder.onnx; " +
            $"{(settings.InferenceRepeats == 1 ? "1 timed pass" : $"median of {settings.InferenceRepeats} timed passes")} each after a warm-up, alternating");
    }

    static double SamplesPerSecond(PriorSampler sampler, int seed)
    {
        var clock = Stopwatch.StartNew();
        sampler.Sample(SampleCount, seed: seed);
        return SampleCount / clock.Elapsed.TotalSeconds;
    }
}
