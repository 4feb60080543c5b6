using TorchSharp;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Checkpoints;

/// <summary>
/// The one description of a checkpoint folder, for the VQ-VAE and the prior alike.
/// <list type="bullet">
/// <item>A run folder holds best/ (the weights with the best validation figure) and last/ (the latest epoch,
/// which --resume continues).</item>
/// <item>Every checkpoint folder holds model.bin (TorchSharp weights) and its configuration file
/// (config.json, <see cref="CheckpointInfo"/>; prior.json for a prior). last/ also holds the parts a resumed
/// loop reads back: optimizer.bin (Adam's state) and the loop's state file (epochs done, best so far,
/// history). Which parts those are is listed once per kind: <see cref="TrainingCheckpoint"/> for the VQ-VAE,
/// <c>PriorCheckpoint</c> for the prior.</item>
/// <item>No random generator state is written: each epoch draws from <see cref="EpochGenerator"/>, seeded by
/// (seed, epoch), so the state a resumed run needs is the epoch count.</item>
/// <item>A folder is written whole under a temporary name and renamed, so a kill mid-write leaves the
/// previous checkpoint intact; <see cref="RecoverRun"/> puts back one a kill left half-swapped.</item>
/// <item>Resume checks that last/ holds the loop's state file before reading anything, then reads each part;
/// a missing or damaged file is named in one line with what to do.</item>
/// </list>
/// </summary>
public static class Checkpoint
{
    public const string WeightsFile = "model.bin";
    public const string ConfigFile = "config.json";
    public const string OptimizerFile = "optimizer.bin";
    public const string BestFolder = "best";
    public const string LastFolder = "last";

    /// <summary>Writes a checkpoint folder whole: the configuration file, then every part.</summary>
    public static void Write(string dir, string configFile, string configJson, IEnumerable<CheckpointPart> parts) =>
        AtomicFile.WriteDirectory(dir, temp =>
        {
            File.WriteAllText(Path.Combine(temp, configFile), configJson);
            foreach (var part in parts) part.Write(Path.Combine(temp, part.File));
        });

    /// <summary>
    /// Reads a run's last/ back into a loop. The folder is resumable only if it holds <paramref name="stateFile"/>,
    /// checked before anything is read; each part is then read in order, a missing or damaged file named with
    /// <paramref name="remedy"/>.
    /// </summary>
    /// <param name="what">What the folder is, for the message ("checkpoint", "prior checkpoint").</param>
    public static void Restore(string runDir, string stateFile, string what, string remedy, IEnumerable<CheckpointPart> parts)
    {
        var last = Path.Combine(runDir, LastFolder);
        var statePath = Path.Combine(last, stateFile);
        if (!File.Exists(statePath)) throw new InvalidDataException($"{statePath}: missing: {runDir} has no resumable {what}");
        foreach (var part in parts) DamagedFile.Read(Path.Combine(last, part.File), part.Read, remedy);
    }

    /// <summary>Puts back a best/ or last/ that a kill left half-swapped (see <see cref="AtomicFile"/>).</summary>
    public static void RecoverRun(string runDir)
    {
        AtomicFile.RecoverDirectory(Path.Combine(runDir, BestFolder));
        AtomicFile.RecoverDirectory(Path.Combine(runDir, LastFolder));
    }

    /// <summary>
    /// The generator an epoch shuffles and restarts codes with, seeded by (seed, epoch): a resumed run replays
    /// exactly the epochs it has not done, with no generator state saved.
    /// </summary>
    public static Generator EpochGenerator(int seed, int epoch) => new((ulong)(seed * 100_003L + epoch));

    /// <summary>Writes a VQ-VAE checkpoint folder holding only weights and config.json (what best/ holds).</summary>
    public static void Save(string dir, VqVaeModel model, CheckpointInfo info) =>
        Write(dir, ConfigFile, info.ToJson(), [CheckpointPart.Weights(model)]);

    /// <summary>
    /// Finds the checkpoint folder: <paramref name="path"/> itself when it holds config.json, else its
    /// best/ sub-folder (a training output folder).
    /// </summary>
    public static string Resolve(string path)
    {
        if (!Directory.Exists(path)) throw new InvalidDataException($"{path}: no such checkpoint folder");
        RecoverRun(path);
        if (File.Exists(Path.Combine(path, ConfigFile)) || File.Exists(Path.Combine(path, WeightsFile))) return path;
        var best = Path.Combine(path, BestFolder);
        if (Directory.Exists(best)) return best;
        throw new InvalidDataException($"{path}: not a checkpoint: no {ConfigFile} and no {BestFolder}/ folder");
    }

    public static CheckpointInfo ReadInfo(string dir)
    {
        var configPath = Path.Combine(dir, ConfigFile);
        if (!File.Exists(configPath)) throw new InvalidDataException($"{configPath}: missing (half-written or not a checkpoint folder)");
        return CheckpointInfo.FromJson(File.ReadAllText(configPath), configPath);
    }

    /// <summary>Rebuilds the model from config.json and loads model.bin into it; a mismatch is a clear error.</summary>
    public static (VqVaeModel Model, CheckpointInfo Info) Load(string path, Device? device = null)
    {
        var dir = Resolve(path);
        var info = ReadInfo(dir);
        var model = new VqVaeModel(info.Model);
        LoadWeights(model, dir, ConfigFile, "checkpoint folder", "use the run's other checkpoint (best/ or last/), train again, or restore the file from a copy");
        if (device != null) model.to(device);
        model.eval();
        return (model, info);
    }

    /// <summary>Loads model.bin strictly into a model built from <paramref name="configFile"/>; a missing, cut-off or mismatched file is one line.</summary>
    /// <param name="what">What the folder is, for the message ("checkpoint folder", "prior checkpoint").</param>
    public static void LoadWeights(nn.Module module, string dir, string configFile, string what, string remedy)
    {
        var weightsPath = Path.Combine(dir, WeightsFile);
        if (!File.Exists(weightsPath)) throw new InvalidDataException($"{weightsPath}: missing (half-written or not a {what})");
        try
        {
            module.load(weightsPath, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw DamagedFile.Weights(weightsPath, configFile, e, remedy);
        }
    }
}
