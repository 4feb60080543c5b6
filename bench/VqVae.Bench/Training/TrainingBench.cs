using System.Globalization;
using System.Text.RegularExpressions;
using VqVae.Training;

namespace VqVae.Bench;

/// <summary>One preset's training run: throughput over the timed epochs and resident memory per epoch.</summary>
public sealed record TrainingResult(
    string Preset, ModelConfig Model, int BatchSize, int Epochs, int StepsPerEpoch, int TrainImages,
    Samples ImagesPerSecond, ModelFlops Flops, IReadOnlyList<long> EpochPeakRss, long RunPeakRss, double WallSeconds, string Measured,
    DecoderPath DecoderPath = DecoderPath.Direct)
{
    /// <summary>The useful rate: the direct path's multiply-adds per second, whichever path ran.</summary>
    public double Gflops => ImagesPerSecond.Median * Flops.TrainingFlops / 1e9;
    /// <summary>The work this run's path really did per second (the table path does less than the direct one).</summary>
    public double RealGflops => ImagesPerSecond.Median *
        (DecoderPath == DecoderPath.Table ? ModelFlops.TableTrainingFlops(Model, BatchSize) : Flops.TrainingFlops) / 1e9;
    /// <summary>Peak sampled RSS while epoch <paramref name="epoch"/> (1-based) ran; epoch 1 includes start-up and data loading.</summary>
    public long PeakRssAt(int epoch) => EpochPeakRss[epoch - 1];
    /// <summary>Growth of the per-epoch peak from epoch 2 to the last epoch, as a fraction.</summary>
    public double RssGrowth => (double)PeakRssAt(Epochs) / PeakRssAt(2) - 1;
}

/// <summary>
/// Trains a preset by running `vqvae-train train` as a child process, exactly as a user would, on the
/// bench's threads. Throughput comes from the run's own metrics.csv (each epoch's images over the
/// seconds of its training steps; validation and checkpoint writing are outside that clock); epoch 1
/// is the warm-up. Memory is the child's RSS, sampled every 50 ms and split at its epoch lines.
/// </summary>
public static class TrainingBench
{
    // The trainer's plain epoch line starts "{epoch,5} {train loss:F5}".
    static readonly Regex EpochLine = new(@"^\s*\d+\s+(-?\d+\.\d{5}|NaN|-?∞)\s", RegexOptions.Compiled);

    /// <param name="decoderPath">the trainer's --decoder-path (auto takes the table for both presets).</param>
    public static TrainingResult Run(string preset, BenchSettings settings, BenchData data, string workDir, Action<string> log,
        DecoderPath decoderPath = DecoderPath.Auto)
    {
        var options = Presets.Get(preset) with { DecoderPath = decoderPath };
        bool mnist = preset.StartsWith("mnist");
        int epochs = mnist ? settings.MnistEpochs : settings.PokemonEpochs;
        int maxSteps = mnist ? settings.MnistStepsPerEpoch : settings.PokemonStepsPerEpoch;
        if (epochs < 2) throw new ArgumentException("training needs at least 2 epochs: the first is the warm-up");
        var dataFolder = mnist ? data.MnistTrainerFolder : data.PokemonFolder;
        // The same split the trainer makes, for the step count.
        int trainImages = TrainingData.Load(options with { DataPath = dataFolder }).Train.Count;
        int fullSteps = (trainImages + options.BatchSize - 1) / options.BatchSize;
        int steps = maxSteps > 0 ? Math.Min(maxSteps, fullSteps) : fullSteps;

        var outDir = Path.Combine(workDir, OutputFolder(preset, decoderPath));
        var args = new List<string>
        {
            "train", "--preset", preset, "--data", dataFolder, "--epochs", epochs.ToString(CultureInfo.InvariantCulture),
            "--out", outDir, "--force", "--threads", settings.Threads.ToString(CultureInfo.InvariantCulture), "--device", "cpu",
            "--decoder-path", KebabCase.Name(decoderPath),
        };
        if (maxSteps > 0) args.AddRange(["--max-steps-per-epoch", maxSteps.ToString(CultureInfo.InvariantCulture)]);
        log($"vqvae-train {string.Join(' ', args)}");
        var run = MonitoredProcess.Run("vqvae-train.dll", args, workDir, EpochLine).EnsureSucceeded($"vqvae-train ({preset})");

        // Windows: one per epoch (ending at its line), then the tail (pictures drawn after training).
        if (run.WindowPeakRssBytes.Count != epochs + 1)
            throw new InvalidDataException($"vqvae-train ({preset}) printed {run.WindowPeakRssBytes.Count - 1} epoch lines, expected {epochs}:\n{run.Stdout}");
        var perEpoch = ReadImagesPerSecond(Path.Combine(outDir, TrainingLoop.MetricsFile));
        if (perEpoch.Count != epochs) throw new InvalidDataException($"{outDir}/metrics.csv has {perEpoch.Count} epochs, expected {epochs}");

        string stepsText = steps == fullSteps ? $"whole epochs of {steps} steps ({trainImages} images)" : steps == 1 ? "1 step" : $"{steps} steps";
        string timed = epochs == 2 ? "epoch 2 alone" : $"median over epochs 2–{epochs}";
        return new TrainingResult(preset, options.Model, options.BatchSize, epochs, steps, trainImages,
            new Samples(perEpoch.Skip(1).ToArray()), ModelFlops.Of(options.Model),
            run.WindowPeakRssBytes.Take(epochs).ToArray(), run.PeakRssBytes, run.WallSeconds,
            $"`vqvae-train train --preset {preset} --threads {settings.Threads} --decoder-path {KebabCase.Name(decoderPath)}`, {epochs} epochs × {stepsText}, batch {options.BatchSize}; " +
            "images/s of each epoch's training steps (the trainer's metrics.csv: batch slicing, forward, backward, Adam; not validation or checkpoints), " +
            $"{timed} (epoch 1 is the warm-up)", options.ResolvedDecoderPath);
    }

    /// <summary>The run's output folder under the bench's work folder (the int8 comparison reuses its checkpoint).</summary>
    public static string OutputFolder(string preset, DecoderPath decoderPath = DecoderPath.Auto) =>
        decoderPath == DecoderPath.Auto ? $"train-{preset}" : $"train-{preset}-{KebabCase.Name(decoderPath)}";

    /// <summary>The training throughput of each epoch, from a run's metrics.csv.</summary>
    internal static List<double> ReadImagesPerSecond(string metricsCsv) => [.. MetricsCsv.ReadColumn(metricsCsv, "images_per_second")];
}
