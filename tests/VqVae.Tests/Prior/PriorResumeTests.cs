using VqVae.Checkpoints;
using VqVae.Prior;
using VqVae.TestSupport;
using static TorchSharp.torch;

namespace VqVae.Tests.Prior;

/// <summary>A prior continued from its last/ ends where an uninterrupted one ends: weights, Adam state, epochs and history all come back.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class PriorResumeTests
{
    static readonly PriorConfig Config = new() { CodebookSize = 8, Height = 4, Width = 4, Channels = 8, Layers = 2 };

    static PriorTrainingOptions Options(int epochs) => new()
    {
        Prior = Config, Epochs = epochs, BatchSize = 8, LearningRate = 3e-3, Seed = 6, Device = ComputeDevice.Cpu, Threads = 1, SampleGrid = false,
    };

    static CodeSet Codes(int seed, int count)
    {
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        return new CodeSet(randint(0, Config.CodebookSize, [count, Config.Height, Config.Width], generator: generator, dtype: ScalarType.Int64), null);
    }

    [Fact]
    public void A_prior_resumed_after_its_first_epoch_ends_with_the_weights_of_an_uninterrupted_one()
    {
        using var dir = new TempFolder();
        using var train = Codes(1, 40);
        using var validation = Codes(2, 16);
        var reference = dir.File("reference");
        var interrupted = dir.File("interrupted");
        new PriorTrainingLoop(Options(3), train, validation, vqvae: null).Run(reference);
        new PriorTrainingLoop(Options(1), train, validation, vqvae: null).Run(interrupted);

        var resumed = new PriorTrainingLoop(Options(3), train, validation, vqvae: null);
        resumed.RestoreFrom(interrupted);
        Assert.Equal(1, resumed.CompletedEpochs);
        resumed.Run(interrupted);

        var (a, infoA) = PriorCheckpoint.Load(Path.Combine(reference, Checkpoint.LastFolder));
        var (b, infoB) = PriorCheckpoint.Load(Path.Combine(interrupted, Checkpoint.LastFolder));
        Assert.Equal(3, infoB.Epoch);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.equal(pb).all().item<bool>(), $"{name} differs between the resumed and the uninterrupted prior");
        Assert.Equal(infoA.Metrics!.ValidationBitsPerCode, infoB.Metrics!.ValidationBitsPerCode);
        Assert.Equal([1, 2, 3], resumed.History.Select(m => m.Epoch));
    }
}
