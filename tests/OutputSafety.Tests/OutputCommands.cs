using VqVae.Exporter;
using VqVae.Trainer;
using VqVaeMl.MlNet.Cli;

namespace VqVae.OutputSafety.Tests;

/// <summary>How a command names what it writes.</summary>
internal enum OutputKind
{
    /// <summary>A folder it fills, replacing it with --force.</summary>
    Folder,
    /// <summary>One file (a chart); there is no --force.</summary>
    File,
    /// <summary>A folder it adds data-set folders to (fetch-data's --data-dir); there is no --force.</summary>
    DataSetsParent,
}

/// <summary>Something a command reads, as a path in the <see cref="World"/>.</summary>
/// <param name="HoldsDefaultOutput">A run whose command keeps its default output inside it (RUN/prior, RUN/onnx):
/// the output may lie inside it, but may not be it.</param>
internal sealed record Input(string Kind, string Path, bool IsFolder = true, bool HoldsDefaultOutput = false);

/// <summary>A valid invocation of a command that writes, given the value of its output option.</summary>
/// <param name="Tool">The name in the manifest of what the command writes (other commands' outputs are not its to replace).</param>
internal sealed record Writer(string Tool, OutputKind Kind, string OutOption, Func<string, string[]> Invocation, params Input[] Inputs);

/// <summary>
/// Every command of the three CLIs, by its full name: how to invoke it when it writes an output, or why it writes
/// nothing. <see cref="OutputSafetyTests"/> fails on a command in the CLIs' trees that is in neither table.
/// </summary>
internal static class OutputCommands
{
    static readonly Input Run = new("the run it reads", World.Run, HoldsDefaultOutput: true);
    static readonly Input Checkpoint = new("the run's checkpoint", World.Best);
    static readonly Input RunData = new("the run's data folder", World.Data);
    static readonly Input GraphsFolder = new("the graphs' folder", World.Graphs);
    // The folder a user keeps a PyTorch file in may hold the import's output (models/NAME beside best_model_mnist),
    // but may not be it: replacing it would delete the file.
    static readonly Input PyTorchFolder = new("the folder of the PyTorch files", World.PyTorch, HoldsDefaultOutput: true);

    static string[] TrainOn(string data, string output) =>
    [
        "--preset", "mnist", "--data", data, "--out", output, "--epochs", "1", "--max-steps-per-epoch", "1",
        "--hidden-size", "8", "--codebook-size", "8", "--batch-size", "8", "--device", "cpu", "--threads", "1",
    ];

    public static readonly Dictionary<string, Writer[]> Writers = new()
    {
        ["vqvae-train train"] =
        [
            new(TrainerCli.Tool, OutputKind.Folder, "--out", o => TrainOn(World.Data, o), new Input("data folder", World.Data)),
            new(TrainerCli.Tool, OutputKind.Folder, "--out", o => TrainOn(World.Images, o), new Input("image folder", World.Images)),
            new(TrainerCli.Tool, OutputKind.Folder, "--out", o => [.. TrainOn(World.Data, o), "--classifier", World.Classifier],
                new Input("data folder", World.Data), new Input("classifier folder", World.Classifier)),
        ],
        ["vqvae-train import-pytorch"] =
        [
            new(TrainerCli.Tool, OutputKind.Folder, "--out", o => ["--state-dict", World.StateDict, "--data", World.Data, "--out", o, "--device", "cpu", "--threads", "1"],
                new Input("state dict", World.StateDict, IsFolder: false), PyTorchFolder, new Input("data folder", World.Data)),
        ],
        ["vqvae-train prior"] =
        [
            new(PriorCommand.Tool, OutputKind.Folder, "--out", o =>
                ["--model", World.Run, "--out", o, "--epochs", "1", "--max-steps-per-epoch", "1", "--channels", "8", "--layers", "2", "--batch-size", "4", "--device", "cpu", "--threads", "1",
                 "--classifier", World.Classifier],
                Run, Checkpoint, RunData, new Input("classifier folder", World.Classifier)),
        ],
        ["vqvae-train classifier train"] =
        [
            new(ClassifierCommand.TrainTool, OutputKind.Folder, "--out", o => ["--data", World.Data, "--out", o, "--epochs", "1", "--threads", "1"],
                new Input("data folder", World.Data)),
        ],
        ["vqvae-train report"] =
        [
            new(TrainerCli.Tool, OutputKind.File, "--rate-distortion", o => [World.Run, "--rate-distortion", o],
                new Input("the run it reads", World.Run), new Input("the run's metrics.csv", "run/metrics.csv", IsFolder: false)),
            new(TrainerCli.Tool, OutputKind.File, "--reconstructions", o => [World.Run, "--reconstructions", o],
                new Input("the run it reads", World.Run), new Input("the run's metrics.csv", "run/metrics.csv", IsFolder: false), RunData),
        ],
        ["vqvae-train fetch-data"] =
        [
            new(TrainerCli.Tool, OutputKind.DataSetsParent, "--data-dir", o => ["--dataset", "mnist", "--data-dir", o]),
        ],
        ["vqvae-export"] =
        [
            new(VqVaeOnnxExporter.Tool, OutputKind.Folder, "--out", o => ["--model", World.Run, "--out", o],
                Run, Checkpoint, new Input("the run's prior", World.Prior), RunData),
        ],
        ["vqvae-export import"] =
        [
            new(VqVaeOnnxExporter.Tool, OutputKind.Folder, "--out", o =>
                ["--encoder", World.ForeignEncoder, "--decoder", World.ForeignDecoder, "--codebook", World.ForeignCodebook, "--out", o],
                new Input("encoder graph", World.ForeignEncoder, IsFolder: false), new Input("decoder graph", World.ForeignDecoder, IsFolder: false),
                new Input("codebook", World.ForeignCodebook, IsFolder: false), PyTorchFolder),
        ],
        ["vqvae-score score"] =
        [
            new(ScoreCli.Tool, OutputKind.Folder, "--out", o => ["--model", World.Run, "--images", World.Images, "--out", o, "--batch-size", "4", "--threads", "1"],
                new Input("image folder", World.Images), Run, GraphsFolder),
        ],
        ["vqvae-score decode"] =
        [
            new(ScoreCli.Tool, OutputKind.Folder, "--out", o => ["--model", World.Run, "--codes", World.Codes, "--out", o, "--originals", World.Images],
                new Input("codes.csv", World.Codes, IsFolder: false), new Input("originals folder", World.Images), Run, GraphsFolder),
        ],
        ["vqvae-score merge"] =
        [
            new(ScoreCli.Tool, OutputKind.Folder, "--out", o => ["--out", o, World.Shard0, World.Shard1],
                new Input("shard folder", World.Shard0), new Input("shard folder", World.Shard1)),
        ],
        ["vqvae-score sample"] =
        [
            new(ScoreCli.Tool, OutputKind.Folder, "--out", o => ["--model", World.Run, "--count", "2", "--out", o, "--threads", "1"],
                Run, GraphsFolder),
        ],
    };

    public static readonly Dictionary<string, string> WriteNothing = new()
    {
        ["vqvae-train patch-floor"] = "reads a data folder and prints one number",
        ["vqvae-train classifier judge"] = "reads a classifier and an image folder and prints one line",
        ["vqvae-train cache list"] = "prints the image cache folders under the cache root",
        ["vqvae-train cache clear"] = "removes cache folders the tool made under the cache root (each named by its vqvae-cache.json), nothing a user named",
    };
}
