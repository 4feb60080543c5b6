using System.CommandLine;
using Spectre.Console;
using VqVae.Checkpoints;
using VqVae.Prior;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>
/// `prior`: encodes a trained run's training and validation images to code maps and trains a gated
/// PixelCNN over them; writes best/, last/, metrics.csv and samples.png into RUN_DIR/prior by default.
/// </summary>
public static class PriorCommand
{
    static readonly Option<string> Model = new("--model") { Description = "A training output folder (its best/ checkpoint's codes are modelled)", Required = true };
    static readonly Option<int?> Epochs = new("--epochs") { Description = "Epochs to train (default 20; with --resume, the new total)" };
    static readonly Option<string?> Out = new("--out") { Description = "Output folder (default <model>/prior)" };
    static readonly Option<bool> Force = new("--force") { Description = "Replace an existing output folder" };
    static readonly Option<bool> Resume = new("--resume") { Description = "Continue the prior in --out from its last checkpoint" };
    static readonly Option<bool> ClassConditional = new("--class-conditional") { Description = "Condition on the images' class labels (MNIST IDX label files)" };
    static readonly Option<int?> Channels = new("--channels") { Description = "Width of the gated layers (default 64)" };
    static readonly Option<int?> Layers = new("--layers") { Description = "Gated layers (default 6)" };
    static readonly Option<int?> BatchSize = new("--batch-size") { Description = "Code maps per step (default 64)" };
    static readonly Option<double?> Lr = new("--lr") { Description = "Adam learning rate (default 1e-3)" };
    static readonly Option<int?> Seed = new("--seed");
    static readonly Option<int> Threads = new("--threads") { Description = "libtorch threads (0: one per core)" };
    static readonly Option<ComputeDevice?> DeviceName = EnumOption.Create<ComputeDevice>("--device", "Where to train; auto picks CUDA when libtorch sees it");
    static readonly Option<int> MaxSteps = new("--max-steps-per-epoch") { Description = "Cut each epoch short (smoke runs)" };
    static readonly Option<string?> Classifier = ClassifierFolder.Option($"{PriorSampleFrechet.Samples} samples of the trained prior");

    public static Command Create()
    {
        var command = new Command("prior", "Train a gated PixelCNN prior over a trained VQ-VAE's code maps.")
        {
            Model, Epochs, Out, Force, Resume, ClassConditional, Channels, Layers, BatchSize, Lr, Seed, Threads, DeviceName, MaxSteps, Classifier,
        };
        command.SetAction(Execute);
        return command;
    }

    /// <summary>The name in a prior folder's manifest: neither `train` nor another command may replace it with --force, nor it them.</summary>
    public const string Tool = TrainerCli.Tool + " prior";

    static int Execute(ParseResult parse)
    {
        var runDir = parse.GetValue(Model)!;
        var outDir = parse.GetValue(Out) ?? Path.Combine(runDir, PriorCheckpoint.DefaultFolder);
        bool resume = parse.GetValue(Resume), force = parse.GetValue(Force);
        bool exists = Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any();
        if (exists && !force && !resume)
            return TrainerCli.Fail($"{outDir}: output folder exists and is not empty (use --force to replace it, or --resume to continue it)");
        if (resume && !exists) return TrainerCli.Fail($"{outDir}: nothing to resume (no such prior)");
        try
        {
            var checkpointDir = Checkpoint.Resolve(runDir);
            CheckOutput(outDir, runDir, checkpointDir, parse.GetValue(Classifier), force, resume);
            var options = Options(parse, checkpointDir);
            if (resume) options = PriorCheckpoint.ResumedOptions(outDir, options, parse.GetValue(Epochs));
            var device = DeviceChoice.Resolve(options.Device);
            if (options.Threads > 0) TorchSharp.torch.set_num_threads(options.Threads);
            var (vqvae, info) = Checkpoint.Load(checkpointDir, device);
            if (!info.Model.QuantizerDescriptor.PriorCanModel)
            {
                vqvae.Dispose();
                return TrainerCli.Fail($"{checkpointDir}: the prior models one code per position, and this model ({info.Model.QuantizerDescriptor.Describe(info.Model)}) has {info.Model.CodesPerPosition}");
            }
            using (vqvae)
            {
                var classifier = ClassifierFolder.For(parse.GetValue(Classifier), info.Model);
                options = options with { Prior = options.Prior with { CodebookSize = info.Model.CodebookSize, Height = info.Model.LatentHeight, Width = info.Model.LatentWidth } };
                CheckLimits(options);
                AnsiConsole.MarkupLineInterpolated($"[grey]encoding the run's images to {info.Model.LatentHeight}×{info.Model.LatentWidth} code maps ({info.Model.CodebookSize} codes)…[/]");
                var (train, validation) = CodeMaps.Encode(vqvae, info, options.Prior.IsConditional);
                using (train)
                using (validation)
                {
                    var loop = new PriorTrainingLoop(options, train, validation, vqvae);
                    if (resume) loop.RestoreFrom(outDir);
                    else RunFolderUntilModel.Start(outDir, exists, Tool);
                    var view = new PriorConsoleView();
                    try { view.Run(() => loop.Run(outDir, view)); }
                    finally { if (!resume) RunFolderUntilModel.End(outDir, PriorTrainingLoop.MetricsFile); }
                    var best = loop.History.MinBy(m => m.ValidationBitsPerCode)!;
                    AnsiConsole.MarkupLineInterpolated(
                        $"best epoch {best.Epoch}: {best.ValidationBitsPerImage:F1} bits per code map ({best.ValidationBitsPerCode:F3} per code; uniform {best.UniformBitsPerCode:F3}, histogram {best.HistogramBitsPerCode:F3}) → [green]{outDir}[/]");
                    if (classifier is not null) MeasureSamples(outDir, classifier, vqvae, info, options.Seed, device);
                }
            }
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException or FileNotFoundException or ArgumentException or OutputRefusedException)
        {
            return TrainerCli.Fail(e.Message);
        }
    }

    /// <summary>The best prior's samples against the run's validation digits, into sample-frechet.json beside its metrics.</summary>
    static void MeasureSamples(string outDir, string classifier, VqVae.Model.VqVaeModel vqvae, CheckpointInfo info, int seed, TorchSharp.torch.Device device)
    {
        AnsiConsole.MarkupLineInterpolated($"[grey]drawing {PriorSampleFrechet.Samples} samples from the best prior for the Fréchet distance…[/]");
        var (prior, priorInfo) = PriorCheckpoint.Load(Path.Combine(outDir, Checkpoint.BestFolder), device);
        using (prior)
        {
            var result = PriorSampleFrechet.Measure(classifier, prior, priorInfo.Epoch, vqvae, info, seed);
            AtomicFile.WriteAllText(Path.Combine(outDir, PriorSampleFrechet.File), result.ToJson());
            AnsiConsole.MarkupLineInterpolated(
                $"Fréchet distance of {result.Samples} samples from {result.ReferenceDigits} validation digits (digit classifier features): {result.FrechetDistance:F2}");
        }
    }

    /// <summary>Refuses a prior whose weights or training batch would not fit, before any code map is encoded.</summary>
    static void CheckLimits(PriorTrainingOptions o)
    {
        OptionLimits.Threads("--threads", o.Threads);
        var p = o.Prior;
        // Each gated layer holds a vertical k×k and a horizontal 1×k convolution to 2·channels, and 1×1 links.
        double weights = (double)p.Layers * p.Channels * p.Channels * 2 * (p.KernelSize * p.KernelSize + p.KernelSize + 2);
        if (weights > OptionLimits.MaxWeightsPerPart)
            throw new OptionOutOfRangeException(
                $"--channels {p.Channels} × --layers {p.Layers}: a prior of {OptionLimits.Bytes(4 * weights)} is too large (at most {OptionLimits.Bytes(4.0 * OptionLimits.MaxWeightsPerPart)})");
        double floatsPerMap = (double)p.CodeCount * (8.0 * p.Channels * p.Layers + 2.0 * p.CodebookSize);
        OptionLimits.Memory("--batch-size", o.BatchSize, 4 * floatsPerMap, "a training step on a batch of that many code maps");
    }

    /// <summary>
    /// The run's checkpoint, the images it was trained on and a --classifier folder are inputs: the prior may not be,
    /// hold or lie inside them. It may lie inside the run (its default, RUN/prior) but not be or hold it; --force
    /// replaces only a prior.
    /// </summary>
    static void CheckOutput(string outDir, string runDir, string checkpointDir, string? classifier, bool force, bool resume)
    {
        var inputs = new List<(string, string)> { ("--model", checkpointDir) };
        // Given a checkpoint folder itself, it is the run: RUN/best/prior is then its default output.
        if (FullPath(checkpointDir) == FullPath(runDir)) inputs.Clear();
        var data = Checkpoint.ReadInfo(checkpointDir).Training?.DataPath;
        if (!string.IsNullOrEmpty(data)) inputs.Add(("the run's data folder", data));
        if (classifier is not null) inputs.Add(("--classifier", classifier));
        (string, string)[] runs = [("--model", runDir)];
        if (resume) OutputFolder.RefuseOverlap(outDir, inputs, runs);
        else OutputFolder.Check(outDir, force, Tool, inputs, runs: runs);
    }

    static string FullPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    /// <summary>The prior the options describe; a resumed one then takes its own shape and settings (<see cref="PriorCheckpoint.ResumedOptions"/>).</summary>
    static PriorTrainingOptions Options(ParseResult parse, string checkpointDir)
    {
        var defaults = new PriorTrainingOptions();
        var prior = defaults.Prior with
        {
            Channels = parse.GetValue(Channels) ?? defaults.Prior.Channels,
            Layers = parse.GetValue(Layers) ?? defaults.Prior.Layers,
            // MNIST's ten digits: the only labelled data the trainer reads.
            ClassCount = parse.GetValue(ClassConditional) ? 10 : 0,
        };
        var options = defaults with
        {
            Prior = prior,
            VqVaeCheckpoint = Path.GetFullPath(checkpointDir),
            Epochs = parse.GetValue(Epochs) ?? defaults.Epochs,
            BatchSize = parse.GetValue(BatchSize) ?? defaults.BatchSize,
            LearningRate = parse.GetValue(Lr) ?? defaults.LearningRate,
            Seed = parse.GetValue(Seed) ?? defaults.Seed,
            Threads = parse.GetValue(Threads),
            Device = parse.GetValue(DeviceName) ?? ComputeDevice.Auto,
            MaxStepsPerEpoch = parse.GetValue(MaxSteps),
        };
        if (options.Epochs < 1) throw new ArgumentException($"--epochs must be at least 1, not {options.Epochs}");
        if (options.BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1, not {options.BatchSize}");
        if (!(options.LearningRate > 0)) throw new ArgumentException($"--lr must be positive, not {options.LearningRate}");
        return options;
    }
}
