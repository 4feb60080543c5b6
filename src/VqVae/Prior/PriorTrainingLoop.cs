using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Model;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Prior;

/// <summary>How a prior is trained over a VQ-VAE's codes.</summary>
public sealed record PriorTrainingOptions
{
    public PriorConfig Prior { get; init; } = new();
    public string VqVaeCheckpoint { get; init; } = "";
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;
    public int Seed { get; init; } = 1;
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;
    public int Threads { get; init; }
    /// <summary>Cut each epoch short (smoke runs and tests).</summary>
    public int MaxStepsPerEpoch { get; init; }
    /// <summary>Write samples.png after each epoch (decoded by the VQ-VAE).</summary>
    public bool SampleGrid { get; init; } = true;
}

/// <summary>What the loop reports while it runs; the CLI draws it, tests ignore it.</summary>
public interface IPriorObserver
{
    void Started(PriorTrainingOptions options, Device device, long trainMaps, long validationMaps, int stepsPerEpoch) { }
    void Step(int epoch, int step, int stepsPerEpoch) { }
    void EpochDone(PriorMetrics metrics, bool isBest) { }
}

/// <summary>
/// Trains a gated PixelCNN on code maps with cross-entropy over the K codes: Adam, shuffled batches,
/// validation NLL in bits after each epoch beside the uniform and histogram baselines, best/ by
/// validation NLL, last/ with the optimizer for --resume, metrics.csv and samples.png rewritten each epoch.
/// </summary>
public sealed class PriorTrainingLoop
{
    public const string MetricsFile = "metrics.csv";
    public const string SamplesFile = "samples.png";
    public const string MetricsHeader =
        "epoch,train_bits_per_code,val_bits_per_code,val_bits_per_image,uniform_bits_per_code,histogram_bits_per_code,seconds";

    readonly PriorTrainingOptions options;
    readonly CodeSet train;
    readonly CodeSet validation;
    readonly VqVaeModel? vqvae;
    readonly Device device;
    readonly double uniformBits;
    readonly double histogramBits;

    public PriorTrainingOptions Options => options;
    public Device Device => device;
    public GatedPixelCnn Model { get; }
    public TorchSharp.Modules.Adam Optimizer { get; }
    public List<PriorMetrics> History { get; } = new();
    public int CompletedEpochs { get; private set; }
    public double BestBitsPerCode { get; private set; } = double.PositiveInfinity;

    /// <param name="vqvae">decodes samples.png; null draws no pictures.</param>
    public PriorTrainingLoop(PriorTrainingOptions options, CodeSet train, CodeSet validation, VqVaeModel? vqvae)
    {
        options.Prior.Validate();
        if (options.Prior.IsConditional && (train.Labels is null || validation.Labels is null))
            throw new ArgumentException("a class-conditional prior needs labels for the training and validation code maps");
        this.options = options;
        this.vqvae = vqvae;
        device = DeviceChoice.Resolve(options.Device);
        if (options.Threads > 0) set_num_threads(options.Threads);
        manual_seed(options.Seed);
        Model = new GatedPixelCnn(options.Prior);
        Model.to(device);
        this.train = new CodeSet(train.Codes.to(device), train.Labels?.to(device));
        this.validation = new CodeSet(validation.Codes.to(device), validation.Labels?.to(device));
        Optimizer = optim.Adam(Model.parameters(), lr: options.LearningRate);
        uniformBits = Math.Log2(options.Prior.CodebookSize);
        histogramBits = HistogramEntropyBits(validation.Codes, options.Prior.CodebookSize);
    }

    public int StepsPerEpoch
    {
        get
        {
            int steps = (int)((train.Count + options.BatchSize - 1) / options.BatchSize);
            return options.MaxStepsPerEpoch > 0 ? Math.Min(steps, options.MaxStepsPerEpoch) : steps;
        }
    }

    public IReadOnlyList<PriorMetrics> Run(string outDir, IPriorObserver? observer = null)
    {
        Directory.CreateDirectory(outDir);
        observer?.Started(options, device, train.Count, validation.Count, StepsPerEpoch);
        for (int epoch = CompletedEpochs + 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double trainBits = TrainEpoch(epoch, observer);
            double validationBits = ValidationBitsPerCode();
            var metrics = new PriorMetrics
            {
                Epoch = epoch,
                TrainBitsPerCode = trainBits,
                ValidationBitsPerCode = validationBits,
                ValidationBitsPerImage = validationBits * options.Prior.CodeCount,
                UniformBitsPerCode = uniformBits,
                HistogramBitsPerCode = histogramBits,
                Seconds = clock.Elapsed.TotalSeconds,
            };
            History.Add(metrics);
            CompletedEpochs = epoch;
            bool isBest = validationBits < BestBitsPerCode;
            if (isBest)
            {
                BestBitsPerCode = validationBits;
                PriorCheckpoint.SaveBest(outDir, this, metrics);
            }
            PriorCheckpoint.SaveLast(outDir, this, metrics);
            WriteMetrics(Path.Combine(outDir, MetricsFile), History);
            if (options.SampleGrid && vqvae is not null)
                PriorSampling.SaveGrid(Path.Combine(outDir, SamplesFile), Model, vqvae, options.Seed);
            observer?.EpochDone(metrics, isBest);
        }
        return History;
    }

    double TrainEpoch(int epoch, IPriorObserver? observer)
    {
        Model.train();
        using var epochScope = NewDisposeScope();
        var generator = Checkpoint.EpochGenerator(options.Seed, epoch);
        var order = randperm(train.Count, generator: generator).to(device);
        var lossSum = zeros(1, device: device);
        int steps = StepsPerEpoch;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            long start = (long)step * options.BatchSize;
            var batch = order.narrow(0, start, Math.Min(options.BatchSize, train.Count - start));
            var codes = train.Codes.index_select(0, batch);
            var logits = Model.Forward(codes, train.Labels?.index_select(0, batch));
            var loss = nn.functional.cross_entropy(logits, codes);
            Optimizer.zero_grad();
            loss.backward();
            Optimizer.step();
            lossSum.add_(loss.detach());
            observer?.Step(epoch, step + 1, steps);
        }
        return lossSum.item<float>() / steps / Math.Log(2);
    }

    /// <summary>Mean negative log-likelihood of the validation codes, in bits per code.</summary>
    public double ValidationBitsPerCode(int batchSize = 256)
    {
        Model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var total = zeros(1, dtype: ScalarType.Float64, device: device);
        for (long start = 0; start < validation.Count; start += batchSize)
        {
            long n = Math.Min(batchSize, validation.Count - start);
            var codes = validation.Codes.narrow(0, start, n);
            var logits = Model.Forward(codes, validation.Labels?.narrow(0, start, n));
            total.add_(nn.functional.cross_entropy(logits, codes, reduction: nn.Reduction.Sum).to(ScalarType.Float64));
        }
        return total.item<double>() / (validation.Count * options.Prior.CodeCount) / Math.Log(2);
    }

    /// <summary>Entropy in bits of the codes' histogram: the best any model that ignores position and context can do on them.</summary>
    public static double HistogramEntropyBits(Tensor codes, int codebookSize)
    {
        using var scope = NewDisposeScope();
        var counts = bincount(codes.flatten().cpu(), minlength: codebookSize).to(ScalarType.Float64);
        var p = counts / counts.sum();
        var nonzero = p.masked_select(p > 0);
        return -(nonzero * nonzero.log2()).sum().item<double>();
    }

    /// <summary>Continues from last/ (see <see cref="PriorCheckpoint"/>).</summary>
    public void RestoreFrom(string outDir) => PriorCheckpoint.Restore(outDir, this);

    /// <summary>Takes up the counts a resumed prior left off with; its weights and optimizer state are read by their parts.</summary>
    internal void Continue(int completedEpochs, double bestBitsPerCode, IEnumerable<PriorMetrics> history)
    {
        CompletedEpochs = completedEpochs;
        BestBitsPerCode = bestBitsPerCode;
        History.Clear();
        History.AddRange(history);
    }

    static void WriteMetrics(string path, IEnumerable<PriorMetrics> rows)
    {
        var text = new StringBuilder(MetricsHeader).Append('\n');
        foreach (var m in rows)
            text.Append(string.Join(',', new object[]
            {
                m.Epoch, m.TrainBitsPerCode, m.ValidationBitsPerCode, m.ValidationBitsPerImage, m.UniformBitsPerCode, m.HistogramBitsPerCode, m.Seconds,
            }.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
