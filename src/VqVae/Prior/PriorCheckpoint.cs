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

    /// <summary>What to do about a damaged prior checkpoint.</summary>
    const string Remedy = "train the prior again (vqvae-train prior --force), or restore the file from a copy";

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
        var weights = Path.Combine(dir, Checkpoint.WeightsFile);
        if (!File.Exists(weights)) throw new InvalidDataException($"{weights}: missing (half-written or not a prior checkpoint)");
        var model = new GatedPixelCnn(info.Prior);
        try { model.load(weights, strict: true); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw DamagedFile.Weights(weights, ConfigFile, e, Remedy);
        }
        if (device != null) model.to(device);
        model.eval();
        return (model, info);
    }
}
