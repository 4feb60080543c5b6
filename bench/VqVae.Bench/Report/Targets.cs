namespace VqVae.Bench;

/// <summary>One speed or memory target, judged from the measured numbers.</summary>
public sealed record Check(string Target, string Measured, bool Pass);

/// <summary>The speed and memory targets, and the checks that compare the measurements with them.</summary>
public static class Targets
{
    public const double TrainingOfCeiling = 0.60;
    public const double OrtBatchedOfCeiling = 0.70;
    public const double ScoreOfOrtBatched = 0.80;
    /// <summary>The project's trainer over the post's code ported line by line, same run.</summary>
    public const double SpeedupOverPost = 2.0;
    public const double TrainingRssGrowth = 0.05;
    public const double ScorePeakMegabytes = 600;
    /// <summary>int8 batched ONNX Runtime throughput over float32's, same model, same run.</summary>
    public const double Int8Speedup = 1.5;

    public static IReadOnlyList<Check> Evaluate(BenchResults r)
    {
        var checks = new List<Check>();
        double ceiling = r.Ceiling.LibtorchGflops;
        foreach (var t in r.Training)
        {
            double fraction = t.Gflops / ceiling;
            double needed = TrainingOfCeiling * ceiling * 1e9 / t.Flops.TrainingFlops;
            checks.Add(new($"training {t.Preset}: ≥ {TrainingOfCeiling:P0} of the ceiling",
                $"{t.Gflops:F1} GFLOP/s = {fraction:P0} of {ceiling:F1} ({t.ImagesPerSecond.Median:F1} img/s; the target needs {needed:F0})",
                fraction >= TrainingOfCeiling));
        }
        foreach (var p in r.PostComparisons)
            checks.Add(new($"training {p.Preset}: ≥ {SpeedupOverPost:0.#}× the post's code (same run)",
                $"{p.Trainer.Median:F1} vs {p.Port.Median:F1} img/s = {p.Speedup:F2}×", p.Speedup >= SpeedupOverPost));
        foreach (var i in r.Inference)
        {
            var ort = i[InferenceResult.OrtBatched];
            double fraction = i.Gflops(ort) / ceiling;
            double needed = OrtBatchedOfCeiling * ceiling * 1e9 / i.Flops.ForwardFlops;
            checks.Add(new($"ONNX Runtime batched {i.Preset}: ≥ {OrtBatchedOfCeiling:P0} of the ceiling",
                $"{i.Gflops(ort):F1} GFLOP/s = {fraction:P0} of {ceiling:F1} ({ort.ImagesPerSecond.Median:F1} img/s; the target needs {needed:F0})",
                fraction >= OrtBatchedOfCeiling));
            var score = i[InferenceResult.ScoreFiles];
            checks.Add(new($"`score` {i.Preset} from files: ≥ {ScoreOfOrtBatched:P0} of batched ONNX Runtime (run by run)",
                $"{score.ImagesPerSecond.Median:F1} img/s; of the ONNX Runtime pass before each run: {i.ScoreOfOrtBatched.Describe("P0")}",
                i.ScoreOfOrtBatched.Median >= ScoreOfOrtBatched));
        }
        foreach (var t in r.Training)
            checks.Add(new($"training {t.Preset}: peak RSS grows < {TrainingRssGrowth:P0} from epoch 2 to epoch {t.Epochs}" +
                           (t.Epochs != BenchSettings.TargetTrainingEpochs ? $" (target: epoch {BenchSettings.TargetTrainingEpochs})" : ""),
                $"{Mb(t.PeakRssAt(2))} → {Mb(t.PeakRssAt(t.Epochs))} MB ({t.RssGrowth:+0.0%;-0.0%})",
                t.RssGrowth < TrainingRssGrowth));
        foreach (var i in r.Int8)
        {
            // Where the decoder is a float32 table, `--int8` alone changes nothing; the encoder's int8 Linear is what is left to judge.
            var (flags, int8, speedup, accuracy) = i.Int8 is { } d && i.Accuracy is { } a
                ? ("`--int8`", d, i.Speedup!.Value, a)
                : ("`--int8 --int8-encoder`, decoder a float32 table", i.Int8Encoder, i.EncoderSpeedup, i.EncoderAccuracy);
            checks.Add(new($"int8 {i.Preset} ({flags}): ≥ {Int8Speedup:F1}× float32's batched ONNX Runtime throughput",
                $"{int8.Median:F1} vs {i.Float32.Median:F1} img/s = {speedup:F2}×", speedup >= Int8Speedup));
            checks.Add(new($"int8 {i.Preset} ({flags}): ≥ {VqVae.Exporter.Verification.Int8Report.MinCodesIdentical:P0} codes identical, PSNR within {VqVae.Exporter.Verification.Int8Report.MaxPsnrLoss} dB",
                $"{accuracy.CodesIdenticalShare:P2}, PSNR loss {accuracy.PsnrLoss:F2} dB", accuracy.Passed));
        }
        if (r.ScoreMemory is { } s)
            checks.Add(new($"`score` {s.Images:N0} files: peak RSS < {ScorePeakMegabytes:F0} MB" +
                           (s.Images != BenchSettings.TargetScoreMemoryFiles ? $" (target: {BenchSettings.TargetScoreMemoryFiles:N0} files)" : ""),
                $"{Mb(s.PeakRssBytes)} MB", s.PeakRssBytes / 1e6 < ScorePeakMegabytes));
        return checks;
    }

    /// <summary>Megabytes of 10⁶ bytes.</summary>
    public static string Mb(long bytes) => (bytes / 1e6).ToString("F0");
}
