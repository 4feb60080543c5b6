using TorchSharp;
using VqVae.Checkpoints;
using static TorchSharp.torch;

namespace VqVae.Prior;

/// <summary>
/// What a prior's checkpoints hold and how --resume reads them back, on <see cref="Checkpoint"/>'s folder
/// format: model.bin and prior.json (<see cref="PriorInfo"/>) in every folder, optimizer.bin and
/// prior-state.json besides in last/. To add a piece of resumable state, add its part to
/// <see cref="LastParts"/> or its field to <see cref="PriorLoopState"/>, and nothing else.
/// </summary>
public static class PriorCheckpoint
{
    public const string ConfigFile = "prior.json";
    public const string StateFile = "prior-state.json";
    /// <summary>Default folder of a run's prior, beside its best/ and last/.</summary>
    public const string DefaultFolder = "prior";

    /// <summary>What to do about a damaged prior checkpoint.</summary>
    const string Remedy = "train the prior again (vqvae-train prior --force), or restore the file from a copy";

    /// <summary>Everything last/ holds besides prior.json, in the order --resume reads it.</summary>
    static IEnumerable<CheckpointPart> LastParts(PriorTrainingLoop loop) =>
    [
        CheckpointPart.Json(StateFile, () => PriorLoopState.From(loop), state => state.RestoreInto(loop)),
        CheckpointPart.Weights(loop.Model, loop.Device),
        CheckpointPart.Optimizer(loop.Optimizer),
    ];

    /// <summary>A prior checkpoint folder holding only weights and prior.json (what best/ holds).</summary>
    public static void Save(string dir, GatedPixelCnn model, PriorInfo info) =>
        Checkpoint.Write(dir, ConfigFile, info.ToJson(), [CheckpointPart.Weights(model)]);

    public static void SaveBest(string outDir, PriorTrainingLoop loop, PriorMetrics metrics) =>
        Save(Path.Combine(outDir, Checkpoint.BestFolder), loop.Model, Info(loop.Options, metrics));

    public static void SaveLast(string outDir, PriorTrainingLoop loop, PriorMetrics metrics) =>
        Checkpoint.Write(Path.Combine(outDir, Checkpoint.LastFolder), ConfigFile, Info(loop.Options, metrics).ToJson(), LastParts(loop));

    /// <summary>Continues from last/: weights, optimizer state, epochs done, best so far, history.</summary>
    public static void Restore(string outDir, PriorTrainingLoop loop) =>
        Checkpoint.Restore(outDir, StateFile, "prior checkpoint", Remedy, LastParts(loop));

    /// <summary>
    /// The options a resumed prior trains with: its own shape and settings from last/prior.json; from
    /// <paramref name="given"/> only device, threads and step cap, and <paramref name="epochs"/> as the new total.
    /// </summary>
    public static PriorTrainingOptions ResumedOptions(string outDir, PriorTrainingOptions given, int? epochs)
    {
        Checkpoint.RecoverRun(outDir);
        var resumed = ReadInfo(Path.Combine(outDir, Checkpoint.LastFolder));
        if (resumed.Training is not { } t) return given;
        return given with
        {
            Prior = resumed.Prior,
            VqVaeCheckpoint = t.VqVaeCheckpoint,
            Epochs = epochs ?? t.Epochs,
            BatchSize = t.BatchSize,
            LearningRate = t.LearningRate,
            Seed = t.Seed,
        };
    }

    /// <summary>prior.json of an epoch: the prior's shape, the epoch's figures and the settings <see cref="ResumedOptions"/> reads back.</summary>
    static PriorInfo Info(PriorTrainingOptions o, PriorMetrics metrics) => new()
    {
        Prior = o.Prior,
        Epoch = metrics.Epoch,
        Metrics = metrics,
        Training = new PriorSettings
        {
            VqVaeCheckpoint = o.VqVaeCheckpoint, Epochs = o.Epochs, BatchSize = o.BatchSize,
            LearningRate = o.LearningRate, Seed = o.Seed, Threads = get_num_threads(),
        },
    };

    /// <summary><paramref name="path"/> itself when it holds prior.json, else its best/ folder (a prior's output folder).</summary>
    public static string Resolve(string path)
    {
        if (!Directory.Exists(path)) throw new InvalidDataException($"{path}: no such prior folder");
        Checkpoint.RecoverRun(path);
        if (File.Exists(Path.Combine(path, ConfigFile))) return path;
        var best = Path.Combine(path, Checkpoint.BestFolder);
        if (File.Exists(Path.Combine(best, ConfigFile))) return best;
        throw new InvalidDataException($"{path}: not a prior: no {ConfigFile} here or in {Checkpoint.BestFolder}/");
    }

    public static PriorInfo ReadInfo(string dir)
    {
        var path = Path.Combine(dir, ConfigFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: missing (half-written or not a prior checkpoint)");
        try { return PriorInfo.FromJson(File.ReadAllText(path), path); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{e.Message}; {Remedy}"); }
    }

    public static (GatedPixelCnn Model, PriorInfo Info) Load(string path, Device? device = null)
    {
        var dir = Resolve(path);
        var info = ReadInfo(dir);
        var model = new GatedPixelCnn(info.Prior);
        Checkpoint.LoadWeights(model, dir, ConfigFile, "prior checkpoint", Remedy);
        if (device != null) model.to(device);
        model.eval();
        return (model, info);
    }
}

/// <summary>prior-state.json: the loop's resumable state: epochs done, best validation bits per code, the history.</summary>
public sealed record PriorLoopState(int CompletedEpochs, double BestBitsPerCode, List<PriorMetrics> History)
{
    public static PriorLoopState From(PriorTrainingLoop loop) => new(loop.CompletedEpochs, loop.BestBitsPerCode, loop.History.ToList());

    public void RestoreInto(PriorTrainingLoop loop) => loop.Continue(CompletedEpochs, BestBitsPerCode, History);
}
