using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Exporter;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVaeMl.MlNet.Tests;

/// <summary>A model trained in TorchSharp on images it reads from disk, and its exported graphs.</summary>
public sealed record TrainedCase(string Name, VqVaeModel Model, ModelConfig Config, string ImagesFolder,
    IReadOnlyList<string> Images, string TrainingFolder, string OnnxFolder)
{
    public override string ToString() => Name;
}

/// <summary>
/// Writes two small image folders (grey 28×28 shapes, RGB 16×16 shapes), trains a patch VQ-VAE on each
/// for a few dozen Adam steps, and exports each into a training-style folder (&lt;dir&gt;/onnx). Built
/// once for the whole test collection.
/// </summary>
public sealed class TrainedModels : IDisposable
{
    public const int Steps = 40;
    public string Root { get; } = Directory.CreateTempSubdirectory("vqvae-mlnet-tests-").FullName;
    public TrainedCase Gray { get; }
    public TrainedCase Rgb { get; }

    public TrainedModels()
    {
        // Tiny models: one thread trains them as fast as two and leaves the other core to the test host.
        torch.set_num_threads(1);
        Gray = Train("gray", new ModelConfig { Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 32, CodebookSize = 32 }, count: 36, seed: 1);
        Rgb = Train("rgb", new ModelConfig { Channels = 3, Height = 16, Width = 16, PatchSize = 2, HiddenSize = 32, CodebookSize = 32 }, count: 24, seed: 2);
    }

    TrainedCase Train(string name, ModelConfig config, int count, int seed)
    {
        var images = Path.Combine(Root, name, "images");
        var paths = TestImages.WriteFolder(images, count, config.Height, rgb: config.Channels == 3, seed);
        var data = paths.SelectMany(p => TestImages.ReadPlanar(Path.Combine(images, p), config.Channels)).ToArray();

        torch.manual_seed(seed);
        var model = new VqVaeModel(config);
        // Codes start on encoder outputs (as k-means init would): from the reference post's tiny uniform init a few
        // dozen steps often leave every patch on one code, and the parity tests want varied codes.
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var z = model.Encode(tensor(data, [count, config.Channels, config.Height, config.Width])).reshape(-1, config.HiddenSize);
            model.codebook.Assign(z.index_select(0, randperm(z.shape[0])[..config.CodebookSize]));
        }
        using (var optimizer = optim.Adam(model.parameters(), lr: 3e-3))
        {
            model.train();
            for (int step = 0; step < Steps; step++)
            {
                using var scope = NewDisposeScope();
                var x = tensor(data, [count, config.Channels, config.Height, config.Width]);
                var loss = VqVaeModel.Loss(model.forward(x), x);
                optimizer.zero_grad();
                loss.Total.backward();
                optimizer.step();
            }
        }
        model.eval();

        var training = Path.Combine(Root, name, "run");
        var info = new CheckpointInfo { Model = config, Epoch = 1 };
        VqVaeOnnxExporter.Export(model, info, Path.Combine(training, "onnx"));
        return new TrainedCase(name, model, config, images, paths, training, Path.Combine(training, "onnx"));
    }

    public void Dispose()
    {
        Gray.Model.Dispose();
        Rgb.Model.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedCollection : ICollectionFixture<TrainedModels>
{
    public const string Name = "trained models";
}
