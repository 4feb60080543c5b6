using VqVae.Checkpoints;
using VqVae.Data;
using VqVae.Exporter;
using VqVae.Model;
using VqVae.Training;
using VqVaeMl.MlNet.Scoring;
using static TorchSharp.torch;

namespace VqVae.Bench;

/// <summary>One way of running the model, how it was measured, and its throughput.</summary>
public sealed record InferencePath(string Name, int Batch, string Measured, Samples ImagesPerSecond);

/// <param name="ScoreOfOrtBatched">`score` from files over batched ONNX Runtime, pair by pair: each `score` run
/// against a batched ONNX Runtime pass made just before it (so a change in the machine's load falls on both).</param>
/// <param name="TransformerOfSessions">`score --graphs transformer` over `score --graphs sessions`, pair by pair:
/// the two runs of each repeat, one right after the other, their order alternating.</param>
public sealed record InferenceResult(string Preset, ModelFlops Flops, IReadOnlyList<InferencePath> Paths, Samples ScoreOfOrtBatched, Samples TransformerOfSessions)
{
    public const string Torch = "TorchSharp eval";
    public const string OrtBatched = "ONNX Runtime, batched";
    public const string OrtSingle = "ONNX Runtime, one at a time";
    public const string MlNetDecoded = "ML.NET pipeline, decoded images";
    public const string ScoreFilesTransformer = "`vqvae-score score --graphs transformer`, files on disk";
    public const string ScoreFilesSessions = "`vqvae-score score --graphs sessions`, files on disk";
    /// <summary>The row of `score`'s default batched path.</summary>
    public static string ScoreFiles => ImageScorers.DefaultBatchedGraphs == BatchedGraphs.Transformer ? ScoreFilesTransformer : ScoreFilesSessions;
    /// <summary>What the ML.NET batched path must reach, of the sessions' throughput, to stay `score`'s default.</summary>
    public const double TransformerOfSessionsToKeep = 0.90;
    public const string ScoreFilesRows = "`vqvae-score score --batch-size 1`, files on disk";

    public InferencePath this[string name] => Paths.Single(p => p.Name == name);
    public double Gflops(InferencePath path) => path.ImagesPerSecond.Median * Flops.ForwardFlops / 1e9;
    /// <summary>A path's median throughput over batched ONNX Runtime's.</summary>
    public double OfOrtBatched(InferencePath path) => path.ImagesPerSecond.Median / this[OrtBatched].ImagesPerSecond.Median;
}

/// <summary>
/// Inference of one preset's model, freshly initialised (seed 42) — the work per image does not depend
/// on the weights — and exported to ONNX, through every path a user has.
/// </summary>
public static class InferenceBench
{
    public static InferenceResult Run(string preset, BenchSettings settings, BenchData data, string workDir, Action<string> log)
    {
        var config = Presets.Get(preset).Model;
        manual_seed(42);
        using var model = new VqVaeModel(config);
        model.eval();
        var onnx = Path.Combine(workDir, $"onnx-{preset}");
        VqVaeOnnxExporter.Export(model, new CheckpointInfo { Model = config }, onnx, force: true);

        var source = data.ImagesFor(preset);
        int batch = settings.InferenceBatch;
        var batched = Repeat(source, batch * settings.BatchesPerRepeat);
        var single = Repeat(source, settings.SingleImagesPerRepeat);
        int repeats = settings.InferenceRepeats;
        string times = repeats == 1 ? "1 timed pass after 1 warm-up" : $"median of {repeats} timed passes after 1 warm-up";
        var paths = new List<InferencePath>();

        log($"{preset}: TorchSharp eval");
        paths.Add(new(InferenceResult.Torch, batch,
            $"model.forward (eval, no_grad) on {batched.Count} images in memory, batches of {batch}; {times}",
            TorchInference.Measure(model, batched, batch, repeats)));

        log($"{preset}: ONNX Runtime");
        using (var chain = new OrtChain(onnx, settings.Threads))
        {
            paths.Add(new(InferenceResult.OrtBatched, batch,
                $"encoder → quantizer → decoder sessions on {batched.Count} images in memory, batches of {batch}; {times}",
                chain.Measure(batched, batch, repeats)));
            paths.Add(new(InferenceResult.OrtSingle, 1,
                $"the same sessions, {single.Count} images one at a time; {times}",
                chain.Measure(single, 1, repeats)));
        }

        log($"{preset}: ML.NET PredictionEngine");
        paths.Add(new(InferenceResult.MlNetDecoded, 1,
            $"PredictionEngine over VqVaeEncode → VqVaeQuantize → VqVaeDecode, {single.Count} in-memory pixel rows one at a time; {times}",
            MlNetInMemory.Measure(onnx, single, repeats)));

        log($"{preset}: vqvae-score on {settings.ScoreFiles} PNG files, batched and one at a time");
        var pngs = BenchData.WritePngs(source, settings.ScoreFiles, Path.Combine(workDir, $"png-{preset}"));
        // Interleaved, so a change in the machine's load falls on all alike; the two batched paths in
        // alternating order, so neither always runs right after the ONNX Runtime pass.
        var runs = new Dictionary<BatchedGraphs, List<ScoreRun>> { [BatchedGraphs.Transformer] = [], [BatchedGraphs.Sessions] = [] };
        var rowRuns = new List<ScoreRun>();
        var pairRatios = new List<double>();
        var transformerOfSessions = new List<double>();
        using (var chain = new OrtChain(onnx, settings.Threads))
        {
            for (int r = 0; r < settings.ScoreRepeats; r++)
            {
                double ort = chain.Measure(batched, batch, 1).Median;
                BatchedGraphs[] order = r % 2 == 0 ? [BatchedGraphs.Transformer, BatchedGraphs.Sessions] : [BatchedGraphs.Sessions, BatchedGraphs.Transformer];
                foreach (var graphs in order)
                    runs[graphs].Add(ScoreFromFiles.Run(onnx, pngs, settings.ScoreFiles, workDir, settings.Threads, graphs: graphs));
                pairRatios.Add(runs[ImageScorers.DefaultBatchedGraphs][^1].ImagesPerSecond / ort);
                transformerOfSessions.Add(runs[BatchedGraphs.Transformer][^1].ImagesPerSecond / runs[BatchedGraphs.Sessions][^1].ImagesPerSecond);
                rowRuns.Add(ScoreFromFiles.Run(onnx, pngs, settings.ScoreFiles, workDir, settings.Threads, batchSize: 1));
            }
        }
        Directory.Delete(pngs, recursive: true);
        string files = $"on {settings.ScoreFiles} PNG files ({source.Channels}×{source.Height}×{source.Width}, repeating the data set), " +
            $"its summary.json images/s (file check, ML.NET image steps, graphs, codes/metrics CSV, reconstruction PNGs; not start-up); ";
        paths.Add(new(InferenceResult.ScoreFilesTransformer, BatchedImageScorer.DefaultBatchSize,
            $"`vqvae-score score --graphs transformer --threads {settings.Threads}` child process (ML.NET's image steps, then one ML.NET row per batch " +
            $"of {BatchedImageScorer.DefaultBatchSize} through ApplyOnnxModel's three graphs, their batch dimension fixed by shapeDictionary; warmed up at start-up) " +
            files + Runs(runs[BatchedGraphs.Transformer]),
            new Samples(runs[BatchedGraphs.Transformer].Select(r => r.ImagesPerSecond).ToArray())));
        paths.Add(new(InferenceResult.ScoreFilesSessions, BatchedImageScorer.DefaultBatchSize,
            $"`vqvae-score score --graphs sessions --threads {settings.Threads}` child process (ML.NET's image steps, then one call of its own ONNX Runtime " +
            $"session per graph for each batch of {BatchedImageScorer.DefaultBatchSize}, sessions warmed up at start-up) " + files + Runs(runs[BatchedGraphs.Sessions]),
            new Samples(runs[BatchedGraphs.Sessions].Select(r => r.ImagesPerSecond).ToArray())));
        paths.Add(new(InferenceResult.ScoreFilesRows, 1,
            $"`vqvae-score score --batch-size 1 --threads {settings.Threads}` child process (the whole ML.NET pipeline through a PredictionEngine, one image at a time) " +
            files + Runs(rowRuns),
            new Samples(rowRuns.Select(r => r.ImagesPerSecond).ToArray())));

        return new InferenceResult(preset, ModelFlops.Of(config), paths, new Samples(pairRatios), new Samples(transformerOfSessions));
    }

    /// <summary>
    /// Peak RSS of `vqvae-score score` on <paramref name="count"/> MNIST digits written as PNG files
    /// (the model: the MNIST preset, freshly initialised, exported by <see cref="Run"/>).
    /// </summary>
    public static ScoreRun ScoreMemory(BenchSettings settings, BenchData data, string workDir, Action<string> log)
    {
        var onnx = Path.Combine(workDir, "onnx-mnist");
        if (!Directory.Exists(onnx)) throw new InvalidOperationException("the MNIST graphs are exported by the inference measurement, which runs first");
        log($"writing {settings.ScoreMemoryFiles} MNIST PNG files");
        var pngs = BenchData.WritePngs(data.MnistDigits, settings.ScoreMemoryFiles, Path.Combine(workDir, "png-memory"));
        log($"vqvae-score on {settings.ScoreMemoryFiles} files");
        var run = ScoreFromFiles.Run(onnx, pngs, settings.ScoreMemoryFiles, workDir, settings.Threads);
        Directory.Delete(pngs, recursive: true);
        return run;
    }

    static string Runs(List<ScoreRun> runs) =>
        (runs.Count == 1 ? "1 run " : $"median of {runs.Count} runs ") +
        $"(wall clock incl. start-up: {runs.Select(r => r.Images / r.WallSeconds).Order().ElementAt(runs.Count / 2):F1} images/s)";

    /// <summary><paramref name="count"/> images cycling through the set.</summary>
    static ImageSet Repeat(ImageSet set, int count) => set.Slice(Enumerable.Range(0, count).Select(i => i % set.Count).ToArray());
}
