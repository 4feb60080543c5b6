using VqVaeMl.MlNet.Scoring;

namespace VqVae.Bench;

/// <summary>One `vqvae-score score` child run: its own throughput figure, wall time and peak RSS.</summary>
public sealed record ScoreRun(int Images, double ImagesPerSecond, double WallSeconds, long PeakRssBytes);

/// <summary>
/// `vqvae-score score` run as a child process on a folder of PNG files: what a user's scoring run does
/// (walk, decode, resize, the three graphs, codes.csv, metrics.csv and one PNG per reconstruction
/// written), batched as by default or one image at a time through ML.NET's PredictionEngine.
/// Throughput is the CLI's own (summary.json: the scoring loop, without process start and model loading).
/// </summary>
public static class ScoreFromFiles
{
    /// <param name="batchSize">null: `score`'s default (batched); 1: ML.NET's PredictionEngine, one image at a time.</param>
    /// <param name="graphs">null: `score`'s default batched path; otherwise `--graphs` that one.</param>
    public static ScoreRun Run(string onnxFolder, string pngFolder, int expected, string workDir, int threads, int? batchSize = null, BatchedGraphs? graphs = null)
    {
        var outDir = Path.Combine(workDir, "scored");
        List<string> args = ["score", "--model", onnxFolder, "--images", pngFolder, "--out", outDir, "--force", "--threads", $"{threads}"];
        if (batchSize is int n) args.AddRange(["--batch-size", $"{n}"]);
        if (graphs is { } g) args.AddRange(["--graphs", g.ToString().ToLowerInvariant()]);
        var run = MonitoredProcess.Run("vqvae-score.dll", args, workDir)
            .EnsureSucceeded("vqvae-score score" + (batchSize is int b ? $" --batch-size {b}" : "") + (graphs is { } h ? $" --graphs {h}" : ""));
        var summary = RunSummary.FromJson(File.ReadAllText(Path.Combine(outDir, FolderScorer.SummaryFile)));
        if (summary.Scored != expected)
            throw new InvalidDataException($"vqvae-score scored {summary.Scored} of {summary.Found} files, expected {expected}");
        Directory.Delete(outDir, recursive: true);
        return new ScoreRun(summary.Scored, summary.ImagesPerSecond, run.WallSeconds, run.PeakRssBytes);
    }
}
