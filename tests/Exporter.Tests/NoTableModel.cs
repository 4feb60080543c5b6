using VqVae.Checkpoints;
using VqVae.Exporter.Graphs;
using VqVae.Model;
using VqVae.TestSupport;
using static TorchSharp.torch;

namespace VqVae.Exporter.Tests;

/// <summary>
/// An RGB patch model with narrow latents and many codes (D = 8, K = 32, p = 4): its decoder table (K·p·p·C
/// values) outweighs the direct decoder graph, so the decoder is exported directly, and with --int8 as int8.
/// Untrained, its codes started on encoder outputs of shape images, saved as a run and exported as a user would.
/// </summary>
public sealed class NoTableModel : IDisposable
{
    public const string Name = "patch-no-table";
    readonly string root = Directory.CreateTempSubdirectory("vqvae-export-no-table-").FullName;

    public TrainedModel Model { get; }

    public NoTableModel()
    {
        var config = new ModelConfig { Arch = Arch.Patch, Channels = 3, Height = 8, Width = 8, PatchSize = 4, HiddenSize = 8, CodebookSize = 32 };
        manual_seed(11);
        var model = new VqVaeModel(config);
        float[] pixels;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var images = TrainedModels.Shapes(config, 16, seed: 11);
            pixels = images.data<float>().ToArray();
            var z = model.Encode(images).reshape(-1, config.HiddenSize);
            model.codebook.Assign(z.index_select(0, randperm(z.shape[0])[..config.CodebookSize]));
        }
        model.eval();
        if (DecoderTableGraph.Fits(model)) throw new InvalidOperationException($"{Name}: its decoder table fits; the model is meant to be too narrow for one");
        var info = new CheckpointInfo
        {
            Model = config, Epoch = 1,
            Training = new TrainingSettings { Preset = "test", Dataset = Name, DataPath = "", Epochs = 1, BatchSize = 16, LearningRate = 3e-3, Seed = 11 },
        };
        var run = Path.Combine(root, "run");
        Checkpoint.Save(Path.Combine(run, Checkpoint.BestFolder), model, info);
        Checkpoint.Save(Path.Combine(run, Checkpoint.LastFolder), model, info);
        var export = VqVaeOnnxExporter.ExportCheckpoint(run);
        Model = new TrainedModel(Name, model, info, root, [], pixels, run, export.OutputDirectory);
    }

    public void Dispose()
    {
        Model.Model.Dispose();
        Directory.Delete(root, recursive: true);
    }
}
