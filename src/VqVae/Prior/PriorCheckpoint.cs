using TorchSharp;
using VqVae.Checkpoints;
using static TorchSharp.torch;

namespace VqVae.Prior;

/// <summary>
/// A prior checkpoint is a folder: model.bin (TorchSharp weights), prior.json (<see cref="PriorInfo"/>)
/// and, for the resumable last/ one, optimizer.bin and the loop's state. Written whole and renamed.
/// </summary>
public static class PriorCheckpoint
{
    public const string ConfigFile = "prior.json";
    /// <summary>Default folder of a run's prior, beside its best/ and last/.</summary>
    public const string DefaultFolder = "prior";

    public static void Save(string dir, GatedPixelCnn model, PriorInfo info, TorchSharp.Modules.Adam? optimizer = null, Action<string>? extra = null) =>
        AtomicFile.WriteDirectory(dir, temp =>
        {
            model.save(Path.Combine(temp, Checkpoint.WeightsFile));
            File.WriteAllText(Path.Combine(temp, ConfigFile), info.ToJson());
            optimizer?.save_state_dict(Path.Combine(temp, Checkpoint.OptimizerFile));
            extra?.Invoke(temp);
        });

    /// <summary><paramref name="path"/> itself when it holds prior.json, else its best/ folder (a prior's output folder).</summary>
    public static string Resolve(string path)
    {
        if (!Directory.Exists(path)) throw new InvalidDataException($"{path}: no such prior folder");
        AtomicFile.RecoverDirectory(Path.Combine(path, Checkpoint.BestFolder));
        AtomicFile.RecoverDirectory(Path.Combine(path, Checkpoint.LastFolder));
        if (File.Exists(Path.Combine(path, ConfigFile))) return path;
        var best = Path.Combine(path, Checkpoint.BestFolder);
        if (File.Exists(Path.Combine(best, ConfigFile))) return best;
        throw new InvalidDataException($"{path}: not a prior: no {ConfigFile} here or in {Checkpoint.BestFolder}/");
    }

    public static PriorInfo ReadInfo(string dir)
    {
        var path = Path.Combine(dir, ConfigFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: missing (half-written or not a prior checkpoint)");
        return PriorInfo.FromJson(File.ReadAllText(path), path);
    }

    public static (GatedPixelCnn Model, PriorInfo Info) Load(string path, Device? device = null)
    {
        var dir = Resolve(path);
        var info = ReadInfo(dir);
        var weights = Path.Combine(dir, Checkpoint.WeightsFile);
        if (!File.Exists(weights)) throw new InvalidDataException($"{weights}: missing (half-written or not a prior checkpoint)");
        var model = new GatedPixelCnn(info.Prior);
        try { model.load(weights, strict: true); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw new InvalidDataException($"{weights}: weights do not match {ConfigFile} ({e.Message})");
        }
        if (device != null) model.to(device);
        model.eval();
        return (model, info);
    }
}
