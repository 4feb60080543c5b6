using VqVae.Checkpoints;
using VqVae.Data;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Tests.Training;

[Collection(GlobalGeneratorCollection.Name)]
public class TrainingLoopTests
{
    static (Tensor Train, Tensor Validation) SmallMnist(int train = 512, int validation = 256)
    {
        var (trainSet, validationSet) = MnistDataset.Load(TestData.MnistDir);
        var rng = new Random(0);
        var pick = Enumerable.Range(0, trainSet.Count).OrderBy(_ => rng.Next()).Take(train).ToArray();
        return (TrainingData.ToTensor(trainSet.Slice(pick)), TrainingData.ToTensor(validationSet.Take(0, validation)));
    }

    static TrainingOptions Small(int epochs, int seed = 1) => Presets.Get("mnist") with
    {
        Epochs = epochs,
        BatchSize = 64,
        LearningRate = 1e-3,
        Seed = seed,
        Device = ComputeDevice.Cpu,
        Model = Presets.Get("mnist").Model with { HiddenSize = 64, CodebookSize = 32 },
    };

    [Fact]
    public void Loss_falls_on_real_digits_within_a_few_dozen_steps()
    {
        var (train, validation) = SmallMnist();
        var loop = new TrainingLoop(Small(epochs: 4), train, validation); // 4 × 8 = 32 steps
        var before = Evaluator.Evaluate(loop.Model, validation, 256);
        using var dir = new TempFolder();
        var history = loop.Run(dir.Path);
        Assert.True(history[^1].ValidationMse < 0.85 * before.ValidationMse,
            $"validation MSE went from {before.ValidationMse:F4} to {history[^1].ValidationMse:F4}");
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss);
        Assert.True(history[^1].ValidationSsim > before.ValidationSsim,
            $"validation SSIM went from {before.ValidationSsim:F4} to {history[^1].ValidationSsim:F4}");
        Assert.Equal(history.Select(m => m.ValidationSsim!.Value), MetricsCsv.ReadColumn(Path.Combine(dir.Path, TrainingLoop.MetricsFile), "val_ssim"));
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_twice()
    {
        var (train, validation) = SmallMnist(256, 64);
        using var a = new TempFolder();
        using var b = new TempFolder();
        var first = new TrainingLoop(Small(epochs: 2, seed: 9), train, validation);
        first.Run(a.Path);
        var second = new TrainingLoop(Small(epochs: 2, seed: 9), train, validation);
        second.Run(b.Path);
        foreach (var ((name, p1), (_, p2)) in first.Model.named_parameters().Zip(second.Model.named_parameters()))
            Assert.True(p1.equal(p2).all().item<bool>(), $"{name} differs between two runs with the same seed");
        // And a different seed really is different, so the check above can fail.
        var third = new TrainingLoop(Small(epochs: 2, seed: 10), train, validation);
        third.Run(a.Path);
        Assert.False(first.Model.codebook.weight.equal(third.Model.codebook.weight).all().item<bool>());
    }

    [Fact]
    public void Run_writes_best_and_last_checkpoints_and_metrics()
    {
        var (train, validation) = SmallMnist(256, 64);
        using var dir = new TempFolder();
        var loop = new TrainingLoop(Small(epochs: 2), train, validation);
        loop.Run(dir.Path);
        var (best, info) = Checkpoint.Load(dir.Path);
        Assert.Equal(loop.History.MinBy(m => m.ValidationMse)!.Epoch, info.Epoch);
        Assert.Equal(64, info.Model.HiddenSize);
        Assert.True(File.Exists(Path.Combine(dir.Path, "last", Checkpoint.OptimizerFile)));
        var lines = File.ReadAllLines(Path.Combine(dir.Path, TrainingLoop.MetricsFile));
        Assert.Equal(MetricsCsv.Header, lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path, ".*tmp*"));
    }
}
