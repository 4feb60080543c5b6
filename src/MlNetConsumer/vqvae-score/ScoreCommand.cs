using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Cli;

/// <summary>`score --model DIR --images FOLDER --out DIR [--gpu ID] [--no-cpu-fallback] [--force] [--shard I/N] [--batch-size N] [--graphs transformer|sessions] [--threads N]`.</summary>
internal static class ScoreCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = ScoreCli.RequiredPath("--model", "folder with encoder.onnx, quantizer.onnx, decoder.onnx (or a training output folder with them in onnx/)");
        var images = ScoreCli.RequiredPath("--images", "folder of images, scanned recursively (PNG, JPEG, GIF, BMP)");
        var output = ScoreCli.RequiredPath("--out", "output folder: codes.csv, metrics.csv, summary.json, reconstructions/");
        var gpu = ScoreCli.Gpu();
        var noFallback = ScoreCli.NoCpuFallback();
        var verbose = ScoreCli.Verbose();
        var force = ScoreCli.Force();
        var shard = new Option<string>("--shard") { Description = "score only shard I of N (0 ≤ I < N), chosen by a hash of each relative path" };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = $"images per ONNX Runtime call (default {BatchedImageScorer.DefaultBatchSize}); 1 scores one image at a time through ML.NET's PredictionEngine",
            DefaultValueFactory = _ => BatchedImageScorer.DefaultBatchSize,
        };
        var graphs = new Option<string?>("--graphs")
        {
            Description = $"how a batch goes through the graphs: transformer (ML.NET's ApplyOnnxModel, one row per batch) or sessions (ONNX Runtime sessions of its own); default {ImageScorers.DefaultBatchedGraphs.ToString().ToLowerInvariant()}",
        };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads per graph (default: one per physical core)" };
        var command = new Command("score", "Score a folder of images: codes, reconstructions, per-image MSE/PSNR.")
        {
            model, images, output, gpu, noFallback, verbose, force, shard, batchSize, graphs, threads,
        };
        command.SetAction(parse => ScoreCli.Guarded(stderr, () => Run(
            parse.GetValue(model)!, parse.GetValue(images)!, parse.GetValue(output)!, parse.GetValue(gpu),
            !parse.GetValue(noFallback), parse.GetValue(verbose), parse.GetValue(force), parse.GetValue(shard),
            parse.GetValue(batchSize), parse.GetValue(graphs), parse.GetValue(threads), stdout, stderr)));
        return command;
    }

    static int Run(string modelDir, string imagesDir, string outputDir, int? gpu, bool fallbackToCpu, bool nativeLog, bool force,
        string? shardText, int batchSize, string? graphsText, int? threads, TextWriter stdout, TextWriter stderr)
    {
        // Every refusal comes before any scoring and before anything is written.
        if (batchSize < 1) throw new UsageException($"--batch-size {batchSize}: must be at least 1");
        if (threads < 1) throw new UsageException($"--threads {threads}: must be at least 1");
        var graphs = graphsText switch
        {
            null => ImageScorers.DefaultBatchedGraphs,
            "transformer" => BatchedGraphs.Transformer,
            "sessions" => BatchedGraphs.Sessions,
            _ => throw new UsageException($"--graphs {graphsText}: must be transformer or sessions"),
        };
        OptionLimits.Threads("--threads", threads);
        var shard = shardText is null ? Shard.All : Shard.Parse(shardText);
        var model = VqVaeModelFolder.Open(modelDir);
        OptionLimits.Memory("--batch-size", batchSize, BatchedImageScorer.BytesPerImage(model), "a batch of that many images", model.PixelCount);
        var imagesRoot = Path.GetFullPath(imagesDir);
        if (!Directory.Exists(imagesRoot)) throw new DirectoryNotFoundException($"{imagesRoot}: images folder not found");
        var output = Path.GetFullPath(outputDir);
        if ((output + Path.DirectorySeparatorChar).StartsWith(imagesRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UsageException($"--out {output} is inside --images {imagesRoot}: its reconstructions would be scored on the next run");
        // The graphs' folder is an input; a training folder given as --model may hold the output beside its onnx/.
        output = OutputFolder.Check(output, force, ScoreCli.Tool, [("--images", imagesRoot), ("--model", model.Folder)], runs: [("--model", modelDir)]);

        var options = new VqVaePipelineOptions
        {
            GpuDeviceId = gpu, FallbackToCpu = fallbackToCpu, NativeLog = nativeLog, ReconstructionImage = false, IntraOpThreads = threads,
        };
        using var scorer = ImageScorers.Create(new MLContext(seed: 0), model, options, batchSize, graphs);
        ScoreCli.ReportProvider(stderr, scorer.Provider);

        // Recorded in summary.json so that `merge` can tell the shards of one run from others.
        var modelSha256 = ModelIdentity.Sha256(model);
        // Counted in a first pass for the progress bar: a walk of names, nothing kept.
        int total = ImageFolder.Enumerate(imagesRoot, shard).Count();
        RunSummary summary = null!;
        OutputFolder.Write(output, ScoreCli.Tool, temp =>
        {
            summary = CliProgress.Run(stdout, "scoring", total, tick =>
                new FolderScorer(scorer, model).Score(ImageFolder.Enumerate(imagesRoot, shard), temp, (file, problem) =>
                {
                    if (problem is not null) stderr.WriteLine($"failed: {file.RelativePath}: {problem}");
                    tick();
                }));
            summary = summary with { Input = imagesRoot, Shard = shard.ToString(), ModelSha256 = modelSha256, Finished = true };
            AtomicFile.WriteAllText(Path.Combine(temp, FolderScorer.SummaryFile), summary.ToJson());
        });

        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Format(inv, "scored {0} of {1} images ({2} failed) in {3:F1}s, {4:F1} images/s on {5}",
            summary.Scored, summary.Found, summary.Failed, summary.Seconds, summary.ImagesPerSecond, summary.ExecutionProvider));
        if (summary.MeanMse is double mse)
            stdout.WriteLine(string.Format(inv, "mean MSE {0:G4}, mean PSNR {1:F2} dB", mse, summary.MeanPsnr));
        stdout.WriteLine($"wrote {output}");
        return summary.Failed > 0 ? ScoreCli.SomeFailed : ScoreCli.Ok;
    }
}
