using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace VqVae.Checkpoints;

/// <summary>
/// One file of a checkpoint folder: its name, how it is written into the folder being built, and how it is
/// read back on resume (the path is the file's; a missing one is refused before <see cref="Read"/> runs).
/// </summary>
public sealed record CheckpointPart(string File, Action<string> Write, Action<string> Read)
{
    /// <summary>A module's weights in TorchSharp's format; read back onto <paramref name="device"/>.</summary>
    public static CheckpointPart Weights<T>(T module, Device? device = null, string file = Checkpoint.WeightsFile) where T : nn.Module =>
        new(file, path => module.save(path), path =>
        {
            module.load(path);
            if (device is not null) module.to(device);
        });

    /// <summary>An optimizer's state (Adam's moments and step counts), so a resumed run steps as an unbroken one would.</summary>
    public static CheckpointPart Optimizer(TorchSharp.Modules.OptimizerHelper optimizer, string file = Checkpoint.OptimizerFile) =>
        new(file, path => optimizer.save_state_dict(path), path => optimizer.load_state_dict(path));

    /// <summary>A record written as JSON (the loop's state); <paramref name="restore"/> receives it read back.</summary>
    public static CheckpointPart Json<T>(string file, Func<T> state, Action<T> restore) =>
        new(file, path => System.IO.File.WriteAllText(path, JsonSerializer.Serialize(state(), ModelConfig.Json)),
            path => restore(JsonSerializer.Deserialize<T>(System.IO.File.ReadAllText(path), ModelConfig.Json) ?? throw new JsonException("empty")));
}
