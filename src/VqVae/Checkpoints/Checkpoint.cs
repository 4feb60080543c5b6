using TorchSharp;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Checkpoints;

/// <summary>
/// A checkpoint is a folder: model.bin (TorchSharp weights), config.json (<see cref="CheckpointInfo"/>)
/// and, for resumable ones, optimizer.bin and trainer-state.json. Folders are written whole under a
/// temporary name and renamed, so a kill mid-write leaves the previous checkpoint intact.
/// </summary>
public static class Checkpoint
{
    public const string WeightsFile = "model.bin";
    public const string ConfigFile = "config.json";
    public const string OptimizerFile = "optimizer.bin";
    public const string BestFolder = "best";
    public const string LastFolder = "last";

    public static void Save(string dir, VqVaeModel model, CheckpointInfo info, TorchSharp.Modules.Adam? optimizer = null,
        Action<string>? extra = null)
    {
        AtomicFile.WriteDirectory(dir, temp =>
        {
            model.save(Path.Combine(temp, WeightsFile));
            File.WriteAllText(Path.Combine(temp, ConfigFile), info.ToJson());
            optimizer?.save_state_dict(Path.Combine(temp, OptimizerFile));
            extra?.Invoke(temp);
        });
    }

    /// <summary>
    /// Finds the checkpoint folder: <paramref name="path"/> itself when it holds config.json, else its
    /// best/ sub-folder (a training output folder).
    /// </summary>
    public static string Resolve(string path)
    {
        if (!Directory.Exists(path)) throw new InvalidDataException($"{path}: no such checkpoint folder");
        AtomicFile.RecoverDirectory(Path.Combine(path, BestFolder));
        AtomicFile.RecoverDirectory(Path.Combine(path, LastFolder));
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
        var weightsPath = Path.Combine(dir, WeightsFile);
        if (!File.Exists(weightsPath)) throw new InvalidDataException($"{weightsPath}: missing (half-written or not a checkpoint folder)");
        var model = new VqVaeModel(info.Model);
        try
        {
            model.load(weightsPath, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw DamagedFile.Weights(weightsPath, ConfigFile, e, "use the run's other checkpoint (best/ or last/), train again, or restore the file from a copy");
        }
        if (device != null) model.to(device);
        model.eval();
        return (model, info);
    }
}
