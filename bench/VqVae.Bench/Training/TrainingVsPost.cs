using System.Globalization;
using System.Text.Json;
using VqVae.Checkpoints;
using VqVae.Training;

namespace VqVae.Bench;

/// <summary>The project's trainer and the post's code, one preset, epochs alternating in one process.</summary>
public sealed record PostComparison(string Preset, int Epochs, int StepsPerEpoch, int BatchSize, Samples Port, Samples Trainer, ModelFlops Flops, string Measured)
{
    /// <summary>The trainer's median images/s over the port's.</summary>
    public double Speedup => Trainer.Median / Port.Median;
    /// <summary>Trainer over port epoch by epoch (each pair ran back to back), for the spread.</summary>
    public Samples PairRatios => new(Trainer.Values.Zip(Port.Values, (t, p) => t / p).ToArray());
}

/// <summary>
/// Runs the post's training code (<see cref="PostPort"/>) and the project's trainer (<see cref="TrainingLoop"/>,
/// the preset `vqvae-train` runs) on the same training images, in one child process, epochs alternating:
/// port, trainer, port, trainer… A change in the machine's load falls on both alike; epoch 1 of each is the
/// warm-up. The child runs with oneDNN free to use every vector unit the CPU has, as PyTorch runs the post's
/// Conv2d/ConvTranspose2d by default (the bench and the CLIs cap oneDNN at AVX2 for the conv model, which the
/// patch model's matrix products do not use); both share the CLIs' other native settings.
/// </summary>
public static class TrainingVsPost
{
    /// <summary>The hidden first argument of vqvae-bench that runs one comparison in this process.</summary>
    public const string ChildCommand = "post-vs-trainer";

    public static PostComparison Run(string preset, BenchSettings settings, BenchData data, string workDir, Action<string> log)
    {
        bool mnist = preset == "mnist";
        int epochs = settings.PostEpochs;
        int steps = mnist ? settings.PostMnistSteps : 0;
        var result = Path.Combine(workDir, $"post-vs-trainer-{preset}.json");
        string[] args = [ChildCommand, preset, mnist ? data.MnistTrainerFolder : data.PokemonFolder, $"{epochs}", $"{steps}", $"{settings.Threads}", result];
        log($"{preset}: the post's code and vqvae-train's loop, {epochs} epochs each, alternating");
        MonitoredProcess.Run("vqvae-bench.dll", args, workDir, environment: new Dictionary<string, string> { ["ONEDNN_MAX_CPU_ISA"] = "" })
            .EnsureSucceeded($"vqvae-bench {ChildCommand} {preset}");
        var rates = JsonSerializer.Deserialize<Dictionary<string, double[]>>(File.ReadAllText(result))!;
        var options = Presets.Get(preset);
        string stepsText = steps > 0 ? $"{steps} steps" : "whole epochs";
        return new PostComparison(preset, epochs, steps, options.BatchSize,
            new Samples(rates["port"].Skip(1).ToArray()), new Samples(rates["trainer"].Skip(1).ToArray()), ModelFlops.Of(options.Model),
            $"{epochs} epochs × {stepsText} of each, batch {options.BatchSize}, alternating port → trainer, {settings.Threads} threads; " +
            $"images/s of each epoch's steps, median over epochs 2–{epochs}");
    }

    /// <summary>The child: <c>post-vs-trainer PRESET DATA EPOCHS STEPS THREADS RESULT.json</c>.</summary>
    public static int ChildMain(string[] args)
    {
        if (args.Length != 6) { Console.Error.WriteLine($"{ChildCommand}: expected PRESET DATA EPOCHS STEPS THREADS RESULT"); return 2; }
        string preset = args[0];
        int epochs = int.Parse(args[2], CultureInfo.InvariantCulture), steps = int.Parse(args[3], CultureInfo.InvariantCulture);
        var options = Presets.Get(preset) with
        {
            DataPath = args[1],
            Epochs = epochs,
            MaxStepsPerEpoch = steps,
            Threads = int.Parse(args[4], CultureInfo.InvariantCulture),
            Device = ComputeDevice.Cpu,
        };
        var (trainSet, validationSet) = TrainingData.Load(options);
        using var train = TrainingData.ToTensor(trainSet);
        // Validation runs after each of the trainer's epochs but is not timed: a few batches are enough.
        using var validation = TrainingData.ToTensor(validationSet.Slice(Enumerable.Range(0, Math.Min(validationSet.Count, 256)).ToArray()));

        var loop = new TrainingLoop(options, train, validation);
        using var port = new PostPort(PostPreset.Get(preset), train, options.Seed);
        var portRates = new List<double>();
        var alternate = new PortBeforeEachEpoch(() => portRates.Add(port.TrainEpoch(steps > 0 ? steps : int.MaxValue).ImagesPerSecond), epochs);
        var outDir = Directory.CreateTempSubdirectory("vqvae-bench-trainer-").FullName;
        try
        {
            loop.Run(outDir, alternate);
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
            loop.Model.Dispose();
        }
        var rates = new Dictionary<string, double[]>
        {
            ["port"] = portRates.ToArray(),
            ["trainer"] = loop.History.Select(m => m.ImagesPerSecond).ToArray(),
        };
        File.WriteAllText(args[5], JsonSerializer.Serialize(rates));
        return 0;
    }

    /// <summary>Runs one epoch of the port before each of the trainer's epochs.</summary>
    sealed class PortBeforeEachEpoch(Action portEpoch, int epochs) : ITrainingObserver
    {
        public void Started(TrainingOptions options, TorchSharp.torch.Device device, long trainImages, long validationImages, int stepsPerEpoch) => portEpoch();
        public void EpochDone(EpochMetrics metrics, bool isBest)
        {
            if (metrics.Epoch < epochs) portEpoch();
        }
    }
}
