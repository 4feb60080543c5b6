using System.Diagnostics;
using TorchSharp;
using VqVae.Adversarial;
using VqVae.Checkpoints;
using VqVae.Classifier;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>What the loop reports while it runs; the CLI draws it, tests ignore it.</summary>
public interface ITrainingObserver
{
    void Started(TrainingOptions options, Device device, long trainImages, long validationImages, int stepsPerEpoch) { }
    void Step(int epoch, int step, int stepsPerEpoch) { }
    void EpochDone(EpochMetrics metrics, bool isBest) { }
}

/// <summary>
/// The reference post's training loop: Adam on the reconstruction MSE plus the quantizer's own loss, validation after each epoch, the best
/// checkpoint chosen by validation reconstruction MSE. Batches are read from the images (a memory-mapped
/// cache, or memory) one step ahead on a worker thread and moved to the device per step; losses are
/// summed on the device and read once per epoch (no host sync per step).
/// </summary>
public sealed class TrainingLoop
{
    public const string MetricsFile = "metrics.csv";

    readonly TrainingOptions options;
    readonly ITrainingImages train;
    readonly ITrainingImages validation;
    readonly Device device;
    readonly DigitFrechet? frechet;

    public TrainingOptions Options => options;
    public Device Device => device;

    public VqVaeModel Model { get; }
    public TorchSharp.Modules.Adam Optimizer { get; }
    /// <summary>The adversarial term and its discriminator, when the run trains with one.</summary>
    public AdversarialLoss? Adversarial { get; }
    public List<EpochMetrics> History { get; } = new();
    public int CompletedEpochs { get; private set; }

    public double BestMse { get; private set; } = double.PositiveInfinity;

    /// <summary>A loop over images already in tensors [N, C, H, W] (copied; small data and tests).</summary>
    public TrainingLoop(TrainingOptions options, Tensor trainImages, Tensor validationImages)
        : this(options, InMemoryImages.From(trainImages), InMemoryImages.From(validationImages)) { }

    public TrainingLoop(TrainingOptions options, ITrainingImages trainImages, ITrainingImages validationImages)
    {
        this.options = options;
        device = DeviceChoice.Resolve(options.Device);
        if (options.Threads > 0) set_num_threads(options.Threads);
        manual_seed(options.Seed);
        Model = new VqVaeModel(options.Model, options.Codebook) { DecoderPath = options.ResolvedDecoderPath };
        Model.to(device);
        frechet = options.ClassifierFolder is { } classifier
            ? DigitFrechet.Open(classifier, device, Evaluator.Batches(validationImages, 256, device)) : null;
        train = trainImages;
        validation = validationImages;
        if (Model.decoder is ConvDecoder convDecoder)
        {
            using var scope = NewDisposeScope();
            convDecoder.InitialiseOutputBias(train.ChannelMeans().to(device));
        }
        Optimizer = optim.Adam(Model.parameters().Where(p => p.requires_grad), lr: options.LearningRate);
        if (options.Adversarial is { } adversarial) Adversarial = new AdversarialLoss(adversarial, options.Model.Channels, options.LearningRate, device);
    }

    public int StepsPerEpoch
    {
        get
        {
            int steps = (train.Count + options.BatchSize - 1) / options.BatchSize;
            return options.MaxStepsPerEpoch > 0 ? Math.Min(steps, options.MaxStepsPerEpoch) : steps;
        }
    }

    /// <summary>Trains the remaining epochs, writing checkpoints and metrics into outDir after each.</summary>
    public IReadOnlyList<EpochMetrics> Run(string outDir, ITrainingObserver? observer = null)
    {
        Directory.CreateDirectory(outDir);
        observer?.Started(options, device, train.Count, validation.Count, StepsPerEpoch);
        if (CompletedEpochs == 0 && Model.quantizer.WantsInitialisation) InitialiseQuantizer();
        for (int epoch = CompletedEpochs + 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var (trainLoss, restarted, images) = TrainEpoch(epoch, observer);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            var metrics = Evaluator.Evaluate(Model, validation, Math.Max(options.BatchSize, 256), device, frechet) with
            {
                Epoch = epoch,
                TrainLoss = trainLoss,
                RestartedCodes = restarted,
                Seconds = clock.Elapsed.TotalSeconds,
                // Training throughput alone: validation has a cost of its own and is not part of a step.
                ImagesPerSecond = images / trainSeconds,
            };
            if (TrainingDivergedException.IsDiverged(trainLoss, metrics))
            {
                // The diverged row goes into metrics.csv (NaN written as such); no checkpoint is touched.
                MetricsCsv.Write(Path.Combine(outDir, MetricsFile), History.Append(metrics));
                throw new TrainingDivergedException(epoch, trainLoss, metrics.ValidationLoss, options.LearningRate, CompletedEpochs);
            }
            CompletedEpochs = epoch;
            bool isBest = SaveEpoch(outDir, metrics);
            // Without this the process's RSS climbed by 650 MB over the first epochs (freed
            // activations kept by the C heap) and each epoch's peak with it; see NativeHeap.
            NativeHeap.Trim();
            observer?.EpochDone(metrics, isBest);
        }
        return History;
    }

    /// <summary>
    /// Writes the run as it stands after an epoch: its metrics row, best/ when the validation MSE is the best so far,
    /// last/ with the optimizer and the trainer state. Returns whether best/ was written.
    /// </summary>
    bool SaveEpoch(string outDir, EpochMetrics metrics)
    {
        History.Add(metrics);
        bool isBest = metrics.ValidationMse < BestMse;
        if (isBest)
        {
            BestMse = metrics.ValidationMse;
            TrainingCheckpoint.SaveBest(outDir, this, metrics);
        }
        TrainingCheckpoint.SaveLast(outDir, this, metrics);
        MetricsCsv.Write(Path.Combine(outDir, MetricsFile), History);
        return isBest;
    }

    /// <summary>
    /// Writes epoch 0 of a run whose weights were put into <see cref="Model"/> from elsewhere (an imported state dict):
    /// best/ and last/ (a fresh optimizer, no epoch done) as after an epoch, so `train --resume` trains on from them.
    /// With validation images, their metrics are the run's one metrics.csv row and best/ stays until training beats
    /// them; without, there is no row and the first epoch trained writes best/. Returns the row, or null.
    /// </summary>
    public EpochMetrics? SaveStart(string outDir)
    {
        if (CompletedEpochs != 0) throw new InvalidOperationException("a run's start is written before its first epoch");
        Directory.CreateDirectory(outDir);
        if (validation.Count == 0)
        {
            TrainingCheckpoint.SaveBest(outDir, this, metrics: null);
            TrainingCheckpoint.SaveLast(outDir, this, metrics: null);
            return null;
        }
        var metrics = Evaluator.Evaluate(Model, validation, Math.Max(options.BatchSize, 256), device);
        SaveEpoch(outDir, metrics);
        return metrics;
    }

    (double Loss, int Restarted, long Images) TrainEpoch(int epoch, ITrainingObserver? observer)
    {
        Model.train();
        using var epochScope = NewDisposeScope();
        var generator = Checkpoint.EpochGenerator(options.Seed, epoch);
        var order = ImageBatches.ToPositions(randperm(train.Count, generator: generator));
        var lossSum = zeros(1, device: device);
        int restarted = 0;
        long images = 0;
        int steps = StepsPerEpoch;
        using var batches = new BatchPrefetcher(train, order, options.BatchSize, steps);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var x = batches.Next().to(device);
            long count = x.shape[0];
            var output = Model.forward(x);
            var loss = VqVaeModel.Loss(output, x);
            long globalStep = (long)(epoch - 1) * steps + step;
            Optimizer.zero_grad();
            (Adversarial?.GeneratorLoss(Model, output, loss, globalStep) ?? loss.Total).backward();
            Optimizer.step();
            Adversarial?.DiscriminatorStep(x, output.Reconstruction, globalStep);
            restarted += Model.AfterStep(output, generator);
            lossSum.add_(loss.Total.detach());
            images += count;
            observer?.Step(epoch, step + 1, steps);
        }
        return (lossSum.item<float>() / steps, restarted, images);
    }

    /// <summary>The quantizer's initialisation from the first batches' encoder outputs (k-means for VQ).</summary>
    void InitialiseQuantizer()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)options.Seed);
        long n = Math.Min(train.Count, (long)options.BatchSize * options.KmeansBatches);
        var sample = train.Gather(ImageBatches.ToPositions(randperm(train.Count, generator: generator).narrow(0, 0, n))).to(device);
        var z = Model.Encode(sample).reshape(-1, options.Model.HiddenSize);
        Model.quantizer.Initialise(z, options.KmeansIterations, generator);
    }

    /// <summary>Continues a run from its last/ checkpoint (see <see cref="TrainingCheckpoint"/>).</summary>
    public void RestoreFrom(string outDir) => TrainingCheckpoint.Restore(outDir, this);

    /// <summary>Takes up the counts a resumed run left off with; its weights and optimizer state are read by their parts.</summary>
    internal void Continue(int completedEpochs, double bestMse, IEnumerable<EpochMetrics> history)
    {
        CompletedEpochs = completedEpochs;
        BestMse = bestMse;
        History.Clear();
        History.AddRange(history);
    }
}
