using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VqVae.Checkpoints;
using VqVae.Imaging;
using VqVae.Model;
using VqVae.Prior;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>`report`: a markdown table comparing finished training runs by their best checkpoints.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "Training output folders", Arity = ArgumentArity.OneOrMore };
        var chart = new Option<string?>("--rate-distortion") { Description = "Also draw the runs' validation PSNR against bits per image into this PNG, one labelled point per run" };
        var pictures = new Option<string?>("--reconstructions")
        {
            Description = $"Also draw one PNG of {ReconstructionComparison.DefaultImages} validation images in its first row and each run's reconstructions of them below, one row per run in the order given",
        };
        var command = new Command("report", "Print a markdown table of training runs: best validation MSE, PSNR, SSIM, Fréchet distance of digits (reconstructions, and the prior's samples where `prior --classifier` measured them), codes in use, perplexity, training time.")
        {
            runs, chart, pictures,
        };
        command.SetAction(parse =>
        {
            try
            {
                var folders = parse.GetValue(runs)!;
                // Every run is read before anything is printed: a refused one leaves no half table.
                var best = folders.Select(run => (Run: run, Info: Checkpoint.ReadInfo(RunFolder(run)))).ToList();
                // Checked before the table is printed, so a refused picture leaves no half-done output. The
                // reconstructions picture also reads the runs' data folders.
                var runInputs = folders.Select(run => ("the run", run)).ToList();
                var dataInputs = best.Where(b => b.Info.Training is not null).Select(b => ("the run's data folder", b.Info.Training!.DataPath));
                foreach (var (option, target, inputs) in new[]
                {
                    ("--rate-distortion", parse.GetValue(chart), runInputs),
                    ("--reconstructions", parse.GetValue(pictures), runInputs.Concat(dataInputs).ToList()),
                })
                    if (target is not null)
                        try { OutputFile.Check(target, option, inputs); }
                        catch (OutputRefusedException e) { return TrainerCli.Fail(e.Message); }
                var rows = best.Select(b => Row(b.Run, b.Info)).ToList();
                // Drawn before the table is printed: runs it cannot compare leave no output at all.
                if (parse.GetValue(pictures) is { } comparison)
                    ReconstructionComparison.Save(comparison, best.Select(b => RunFolder(b.Run)).ToList());
                Console.WriteLine("| run | arch | quantizer | codebook | lr | best epoch | bits per image | val MSE | PSNR (dB) | SSIM | Fréchet (digits) | Fréchet (prior samples) | active codes | perplexity | training minutes |");
                Console.WriteLine("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                foreach (var row in rows) Console.WriteLine(row);
                if (parse.GetValue(chart) is { } png)
                {
                    RateDistortionPlot.Save(png, best.Select(b => Point(b.Run, b.Info)).ToList(), "Rate and distortion of the runs (validation set)");
                    Console.WriteLine($"→ {png}");
                }
                if (parse.GetValue(pictures) is { } picture)
                    Console.WriteLine($"→ {picture} (rows: validation images, {string.Join(", ", folders.Select(RunName))})");
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException or FileNotFoundException) { return TrainerCli.Fail(e.Message); }
        });
        return command;
    }

    /// <summary>The run's best checkpoint folder; a checkpoint folder given in place of its run is named as such.</summary>
    static string RunFolder(string run)
    {
        var full = Path.GetFullPath(run);
        bool hasMetrics = File.Exists(Path.Combine(full, TrainingLoop.MetricsFile));
        if (!hasMetrics && File.Exists(Path.Combine(full, Checkpoint.ConfigFile)))
            throw new InvalidDataException(
                $"{run}: a checkpoint folder, not a training run; report reads a run's metrics.csv, so give the run folder ({Path.GetDirectoryName(full)})");
        var checkpoint = Checkpoint.Resolve(run);
        if (!hasMetrics) throw new InvalidDataException($"{run}: no {TrainingLoop.MetricsFile}: not a finished training run");
        return checkpoint;
    }

    static EpochMetrics BestMetrics(string run, CheckpointInfo info) =>
        info.Metrics ?? throw new InvalidDataException($"{run}: the best checkpoint has no metrics");

    static string Row(string run, CheckpointInfo info)
    {
        var m = BestMetrics(run, info);
        var history = MetricsCsv.ReadColumn(Path.Combine(run, TrainingLoop.MetricsFile), "seconds");
        var c = info.Training?.Codebook ?? new CodebookTraining();
        var model = info.Model;
        var codebook = !model.QuantizerDescriptor.HasTrainableCodebook ? "implicit grid" : string.Join(" + ", new[]
        {
            c.Update == CodebookUpdate.Ema ? string.Create(CultureInfo.InvariantCulture, $"EMA {c.EmaDecay}") : "VQ loss",
            c.KmeansInit ? "k-means init" : null,
            c.DeadCodeThreshold > 0 ? $"dead < {c.DeadCodeThreshold}" : null,
            KebabCase.Name(c.Estimator),
            info.Training?.Adversarial is { } adv ? string.Create(CultureInfo.InvariantCulture, $"adversarial from step {adv.DiscStart}{(adv.DiscWarmup > 0 ? $" (D alone for {adv.DiscWarmup})" : "")}, w {adv.DiscWeight}") : null,
        }.Where(s => s != null));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {RunName(run)} | {KebabCase.Name(model.Arch)} | {model.QuantizerDescriptor.Describe(model)} | {codebook} | {info.Training?.LearningRate:G3} | {info.Epoch} | {model.BitsPerImage:F0} | {m.ValidationMse:F4} | {m.ValidationPsnr:F2} | {Optional(m.ValidationSsim, "F4")} | {Optional(m.ValidationFrechet, "F2")} | {Optional(PriorSamplesFrechet(run), "F2")} | {PerLevel(m.ActiveCodes.ToString(CultureInfo.InvariantCulture), m.LevelActiveCodes?.Select(a => a.ToString(CultureInfo.InvariantCulture)))} | {PerLevel(m.Perplexity.ToString("F1", CultureInfo.InvariantCulture), m.LevelPerplexity?.Select(p => p.ToString("F1", CultureInfo.InvariantCulture)))} | {history.Sum() / 60:F1} |");
    }

    /// <summary>The distance `prior --classifier` measured for the run's prior (its default folder), if it did.</summary>
    static double? PriorSamplesFrechet(string run)
    {
        var file = Path.Combine(run, PriorCheckpoint.DefaultFolder, PriorSampleFrechet.File);
        if (!File.Exists(file)) return null;
        try { return JsonSerializer.Deserialize<SampleFrechet>(File.ReadAllText(file), ModelConfig.Json)?.FrechetDistance; }
        catch (JsonException e) { throw new InvalidDataException($"{file}: not a sample-frechet.json ({e.Message})"); }
    }

    static RateDistortionPoint Point(string run, CheckpointInfo info) =>
        new(RunName(run), info.Model.BitsPerImage, BestMetrics(run, info).ValidationPsnr);

    static string RunName(string run) => Path.GetFileName(Path.GetFullPath(run).TrimEnd('/'));

    /// <summary>A figure the run may not have (measured after it was trained, or undefined for its images): "—" then.</summary>
    static string Optional(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";

    /// <summary>The whole-run figure, then each residual level's in parentheses.</summary>
    static string PerLevel(string total, IEnumerable<string>? levels) =>
        levels == null ? total : $"{total} ({string.Join(" / ", levels)})";
}
