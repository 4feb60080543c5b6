using VqVae.MlNetConsumer.Scoring;

namespace VqVae.Bench;

/// <summary>One `vqvae-score score` child run: its own throughput figure, wall time and peak RSS.</summary>
public sealed record ScoreRun(int Images, double ImagesPerSecond, double WallSeconds, long PeakRssBytes);

/// <summary>
/// `vqvae-score score` run as a child process on a folder of PNG files: what a user's scoring run does
/// (walk, decode, resize, the three graphs through ML.NET, codes.csv, metrics.csv and one PNG per
/// reconstruction written). Throughput is the CLI's own (summary.json: the scoring loop, without
/// process start and model loading).
/// </summary>
public static class ScoreFromFiles
{
    public static ScoreRun Run(string onnxFolder, string pngFolder, int expected, string workDir)
    {
        var outDir = Path.Combine(workDir, "scored");
        var run = MonitoredProcess.Run("vqvae-score.dll",
            ["score", "--model", onnxFolder, "--images", pngFolder, "--out", outDir, "--force"], workDir)
            .EnsureSucceeded("vqvae-score score");
        var summary = RunSummary.FromJson(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        if (summary.Scored != expected)
            throw new InvalidDataException($"vqvae-score scored {summary.Scored} of {summary.Found} files, expected {expected}");
        Directory.Delete(outDir, recursive: true);
        return new ScoreRun(summary.Scored, summary.ImagesPerSecond, run.WallSeconds, run.PeakRssBytes);
    }
}
