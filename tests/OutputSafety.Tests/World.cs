using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Classifier;
using VqVae.Data;
using VqVae.Exporter;
using VqVae.Model;
using VqVae.Prior;
using VqVae.TestSupport;
using VqVae.Trainer;
using VqVae.Training;
using VqVaeMl.MlNet.Cli;

namespace VqVae.OutputSafety.Tests;

/// <summary>
/// Everything the three CLIs read, and one output of each command, laid out in one folder under relative names
/// (the run records its data folder as <c>data/mnist</c>, as the presets do), so a test can copy the whole world
/// and run a command inside the copy: a tiny MNIST, an image folder, a run with best/ and last/, its prior, its
/// exported graphs (prior.onnx too), two score shards, and a classifier. The run holds the shared fixture's grey
/// model (<see cref="TrainedModels.Gray"/>); the prior and the classifier are untrained, since a refusal comes
/// before any of them is used.
/// </summary>
internal static class World
{
    public const string Data = "data/mnist";
    public const string Images = "images";
    public const string Run = "run";
    public const string Best = "run/best";
    public const string Prior = "run/prior";
    public const string Graphs = "run/onnx";
    public const string Shard0 = "shard-0";
    public const string Shard1 = "shard-1";
    public const string Codes = "shard-0/codes.csv";
    public const string Classifier = "classifier";
    /// <summary>A model trained in PyTorch, as the import commands take it: its state dict, torch.onnx graphs and codebook.</summary>
    public const string PyTorch = "pytorch";
    public const string StateDict = "pytorch/state_dict.pt";
    public const string ForeignEncoder = "pytorch/encoder.onnx";
    public const string ForeignDecoder = "pytorch/decoder.onnx";
    public const string ForeignCodebook = "pytorch/codebook.npy";

    /// <summary>The outputs in the world and the name in each one's manifest.</summary>
    public static readonly (string Path, string Tool)[] Outputs =
    [
        (Run, TrainerCli.Tool), (Prior, PriorCommand.Tool), (Graphs, VqVaeOnnxExporter.Tool),
        (Shard0, ScoreCli.Tool), (Classifier, ClassifierCommand.TrainTool),
    ];

    public static void Build(string root, TrainedModel model)
    {
        torch.set_num_threads(1);
        RandomMnist.Write(Path.Combine(root, Data), trainCount: 12, testCount: 4);
        var images = Directory.CreateDirectory(Path.Combine(root, Images)).FullName;
        for (int i = 0; i < 4; i++) BadFiles.WritePng(Path.Combine(images, $"digit-{i}.png"), 28, (byte)(40 + i * 50));
        var run = Path.Combine(root, Run);
        WriteRun(run, model);
        WritePrior(Path.Combine(root, Prior), model.Config);
        VqVaeOnnxExporter.ExportCheckpoint(run);
        foreach (var (shard, index) in new[] { (Shard0, 0), (Shard1, 1) })
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            int code = ScoreCli.Run(["score", "--model", run, "--images", images, "--out", Path.Combine(root, shard), "--shard", $"{index}/2"], stdout, stderr);
            if (code != 0) throw new InvalidOperationException($"scoring {shard} of the world failed: {stderr}");
        }
        Directory.CreateDirectory(Path.Combine(root, PyTorch));
        foreach (var file in new[] { StateDict, ForeignEncoder, ForeignDecoder, ForeignCodebook })
            File.Copy(PyTorchFixtures.File(PyTorchFixtures.Mnist, Path.GetFileName(file)), Path.Combine(root, file));
        using var classifier = new DigitClassifier();
        OutputFolder.Write(Path.Combine(root, Classifier), ClassifierCommand.TrainTool, temp =>
        {
            classifier.save(Path.Combine(temp, ClassifierTraining.WeightsFile));
            File.WriteAllText(Path.Combine(temp, ClassifierCommand.AccuracyFile), "validation accuracy 0.1000 on 4 digits\n");
        });
    }

    /// <summary>A run as `train` leaves it: best/ and last/ checkpoints, metrics.csv, the manifest.</summary>
    static void WriteRun(string run, TrainedModel model)
    {
        var metrics = new EpochMetrics { Epoch = 1, ValidationMse = 0.05, ActiveCodes = 4, Perplexity = 3.5 };
        var info = new CheckpointInfo
        {
            Model = model.Config, Epoch = 1, Metrics = metrics,
            Training = new TrainingSettings { Preset = "mnist", Dataset = "mnist", DataPath = Data, Epochs = 1, BatchSize = 8, LearningRate = 1e-3, Seed = 1 },
        };
        Checkpoint.Save(Path.Combine(run, Checkpoint.BestFolder), model.Model, info);
        Checkpoint.Save(Path.Combine(run, Checkpoint.LastFolder), model.Model, info);
        MetricsCsv.Write(Path.Combine(run, TrainingLoop.MetricsFile), [metrics]);
        OutputFolder.Mark(run, TrainerCli.Tool);
    }

    /// <summary>A prior over the run's code maps, as `prior` leaves it in RUN/prior.</summary>
    static void WritePrior(string folder, ModelConfig run)
    {
        torch.manual_seed(2);
        var config = new PriorConfig { CodebookSize = run.CodebookSize, Height = run.LatentHeight, Width = run.LatentWidth, Channels = 8, Layers = 2 };
        using var prior = new GatedPixelCnn(config);
        PriorCheckpoint.Save(Path.Combine(folder, Checkpoint.BestFolder), prior, new PriorInfo { Prior = prior.Config, Epoch = 1 });
        OutputFolder.Mark(folder, PriorCommand.Tool);
    }
}
