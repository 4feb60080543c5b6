using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Checkpoints;

/// <summary>
/// What a VQ-VAE run's checkpoints hold and how --resume reads them back, in the one place that says so
/// (the folder format itself is <see cref="Checkpoint"/>'s).
/// <para>
/// To add a piece of resumable state, change this file only: a module or optimizer of the loop (a
/// discriminator's weights, say) is one more entry in <see cref="LastParts"/>; a figure the loop carries
/// from epoch to epoch is one more field of <see cref="TrainerState"/> (give it a default, so runs written
/// before it still resume); a setting recorded in config.json is one more line in <see cref="Settings"/> and
/// in <see cref="ResumedOptions"/>, beside its field in <see cref="TrainingSettings"/>.
/// </para>
/// </summary>
public static class TrainingCheckpoint
{
    public const string StateFile = "trainer-state.json";

    /// <summary>What to do about a damaged last/.</summary>
    const string Remedy = "train again, or restore the file from a copy (best/ holds the best weights, without the optimizer)";

    /// <summary>Everything last/ holds besides config.json, in the order --resume reads it (the state first, so a garbled one stops it early).</summary>
    static IEnumerable<CheckpointPart> LastParts(TrainingLoop loop) =>
    [
        CheckpointPart.Json(StateFile, () => TrainerState.From(loop), state => state.RestoreInto(loop)),
        CheckpointPart.Weights(loop.Model, loop.Device),
        CheckpointPart.Optimizer(loop.Optimizer),
        .. loop.Adversarial?.CheckpointParts(loop.Device) ?? [],
    ];

    /// <summary>best/: the weights and config.json, enough to export, score or report.</summary>
    /// <param name="metrics">null for the start of an imported run measured on no images: config.json then has no figures.</param>
    public static void SaveBest(string runDir, TrainingLoop loop, EpochMetrics? metrics) =>
        Checkpoint.Save(Path.Combine(runDir, Checkpoint.BestFolder), loop.Model, Info(loop, metrics));

    /// <summary>last/: config.json and every part --resume needs.</summary>
    public static void SaveLast(string runDir, TrainingLoop loop, EpochMetrics? metrics) =>
        Checkpoint.Write(Path.Combine(runDir, Checkpoint.LastFolder), Checkpoint.ConfigFile, Info(loop, metrics).ToJson(), LastParts(loop));

    /// <summary>Continues a run from its last/: weights, optimizer state, epochs done, best so far, history.</summary>
    public static void Restore(string runDir, TrainingLoop loop) =>
        Checkpoint.Restore(runDir, StateFile, "checkpoint", Remedy, LastParts(loop));

    /// <summary>
    /// The options a resumed run trains with: its own, from last/config.json, so a resumed run is the same run;
    /// from <paramref name="given"/> only what does not change the result (device, threads, step cap), and
    /// <paramref name="epochs"/> as the new total.
    /// </summary>
    public static TrainingOptions ResumedOptions(string runDir, TrainingOptions given, int? epochs)
    {
        Checkpoint.RecoverRun(runDir);
        var last = Path.Combine(runDir, Checkpoint.LastFolder);
        var saved = Checkpoint.ReadInfo(last);
        var t = saved.Training ?? throw new InvalidDataException($"{Path.Combine(last, Checkpoint.ConfigFile)}: no training settings to resume from");
        return given with
        {
            Model = saved.Model,
            Codebook = t.Codebook,
            Preset = t.Preset,
            Dataset = t.Dataset,
            DataPath = t.DataPath,
            Epochs = epochs ?? t.Epochs,
            BatchSize = t.BatchSize,
            LearningRate = t.LearningRate,
            Seed = t.Seed,
            ValidationFraction = t.ValidationFraction,
            Adversarial = t.Adversarial,
            DecoderPath = t.DecoderPath,
            ImportedFrom = saved.ImportedFrom,
        };
    }

    /// <summary>config.json of an epoch: the model, the epoch's figures and the settings <see cref="ResumedOptions"/> reads back.</summary>
    static CheckpointInfo Info(TrainingLoop loop, EpochMetrics? metrics) => new()
    {
        Model = loop.Options.Model,
        Epoch = metrics?.Epoch ?? loop.CompletedEpochs,
        Metrics = metrics,
        Training = Settings(loop.Options, loop.Device),
        ImportedFrom = loop.Options.ImportedFrom,
    };

    static TrainingSettings Settings(TrainingOptions o, Device device) => new()
    {
        Preset = o.Preset, Dataset = o.Dataset, DataPath = o.DataPath, Epochs = o.Epochs, BatchSize = o.BatchSize,
        LearningRate = o.LearningRate, Seed = o.Seed, ValidationFraction = o.ValidationFraction,
        Codebook = o.Codebook, Adversarial = o.Adversarial, Device = DeviceChoice.Of(device), Threads = get_num_threads(), DecoderPath = o.DecoderPath,
    };
}

/// <summary>trainer-state.json: what a resumed run needs besides weights and optimizer state.</summary>
public sealed record TrainerState
{
    public int CompletedEpochs { get; init; }
    public double BestMse { get; init; }
    public List<EpochMetrics> History { get; init; } = new();

    public static TrainerState From(TrainingLoop loop) =>
        new() { CompletedEpochs = loop.CompletedEpochs, BestMse = loop.BestMse, History = loop.History.ToList() };

    public void RestoreInto(TrainingLoop loop) => loop.Continue(CompletedEpochs, BestMse, History);
}
