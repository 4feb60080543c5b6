using SkiaSharp;
using VqVae.Checkpoints;
using VqVae.Data;
using VqVae.Tests.Data;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Tests.Training;

/// <summary>Training from the cache gives what training from memory gives: the same splits, batches and weights.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class CachedTrainingDataTests
{
    static string MakeFolder(TempFolder temp, int count)
    {
        var folder = Directory.CreateDirectory(temp.File("images")).FullName;
        for (int i = 0; i < count; i++)
            File.WriteAllBytes(Path.Combine(folder, $"img{i:D3}.png"), TestImages.Encode(9, 9,
                (x, y) => new SKColor((byte)(13 * i + 9 * x), (byte)(5 * i * y), (byte)(200 - 3 * i))));
        return folder;
    }

    static TrainingOptions Options(string data, int channels, int size) => new()
    {
        DataPath = data, Seed = 7, Epochs = 2, BatchSize = 8, Device = ComputeDevice.Cpu, LearningRate = 1e-3, MaxStepsPerEpoch = 3,
        Model = new ModelConfig { Channels = channels, Height = size, Width = size, PatchSize = 2, HiddenSize = 16, CodebookSize = 8 },
    };

    static void AssertSameImages(ImageSet expected, ITrainingImages actual, int[] positions)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(expected.Count, actual.Count);
        var pixels = actual.Gather(positions).data<float>().ToArray();
        Assert.Equal(expected.Slice(positions).Pixels, pixels);
    }

    [Fact]
    public void A_folders_split_and_batches_are_the_in_memory_ones()
    {
        using var temp = new TempFolder();
        var options = Options(MakeFolder(temp, 30), 3, 8);
        var (train, validation) = TrainingData.Load(options);
        using var cached = CachedTrainingData.Open(options);
        AssertSameImages(train, cached.Train, [0, 23, 5, 5, 17]);
        AssertSameImages(validation, cached.Validation, Enumerable.Range(0, validation.Count).Reverse().ToArray());
    }

    [Fact]
    public void Prefetched_batches_follow_the_order_and_end_with_a_short_one()
    {
        using var temp = new TempFolder();
        var options = Options(MakeFolder(temp, 30), 3, 8);
        var (train, _) = TrainingData.Load(options);
        using var cached = CachedTrainingData.Open(options);
        var order = Enumerable.Range(0, train.Count).OrderBy(i => (i * 7) % 11).ToArray(); // 24 images
        using var batches = new BatchPrefetcher(cached.Train, order, batchSize: 10, batches: int.MaxValue);
        Assert.Equal(3, batches.Batches);
        for (int b = 0; b < 3; b++)
        {
            using var scope = NewDisposeScope();
            var batch = batches.Next();
            var expected = order.Skip(10 * b).Take(10).ToArray();
            Assert.Equal(new long[] { expected.Length, 3, 8, 8 }, batch.shape);
            Assert.Equal(train.Slice(expected).Pixels, batch.data<float>().ToArray());
        }
        Assert.Throws<InvalidOperationException>(() => batches.Next());
    }

    [Fact]
    public void Training_from_the_cache_ends_with_the_weights_of_training_from_memory()
    {
        using var temp = new TempFolder();
        foreach (var name in new[] { MnistDataset.TrainImages, MnistDataset.TestImages })
            File.Copy(Path.Combine(TestData.MnistDir, name), temp.File(name));
        var options = Options(temp.Path, 1, 28) with { Model = Options(temp.Path, 1, 28).Model with { PatchSize = 4 } };

        var (train, validation) = TrainingData.Load(options);
        var fromMemory = new TrainingLoop(options, TrainingData.ToTensor(train), TrainingData.ToTensor(validation));
        using var memoryRun = new TempFolder();
        var memoryHistory = fromMemory.Run(memoryRun.Path);

        using var cached = CachedTrainingData.Open(options);
        Assert.True(cached.Outcomes.All(o => o.Built));
        var fromCache = new TrainingLoop(options, cached.Train, cached.Validation);
        using var cacheRun = new TempFolder();
        var cacheHistory = fromCache.Run(cacheRun.Path);

        foreach (var ((name, a), (_, b)) in fromMemory.Model.named_parameters().Zip(fromCache.Model.named_parameters()))
            Assert.True(a.equal(b).all().item<bool>(), $"{name} differs between training from memory and from the cache");
        Assert.Equal(memoryHistory.Select(m => m.ValidationMse), cacheHistory.Select(m => m.ValidationMse));

        using var again = CachedTrainingData.Open(options);
        Assert.True(again.Outcomes.All(o => !o.Built && o.Decoded == 0));
    }
}
