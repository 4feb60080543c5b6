using VqVae.Adversarial;
using VqVae.Checkpoints;
using VqVae.Exporter.Cli;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Exporter.Tests;

/// <summary>A run trained with the adversarial loss exports the model's three graphs and nothing of its discriminator.</summary>
public sealed class AdversarialExportTests : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-export-adversarial-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Theory]
    [InlineData(Arch.Patch)]
    [InlineData(Arch.Conv)]
    public void Exports_and_verifies_without_the_discriminator(Arch arch)
    {
        manual_seed(4);
        var options = new TrainingOptions
        {
            Model = new ModelConfig { Arch = arch, Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 8, CodebookSize = 8, ConvChannels = 8 },
            Epochs = 1, BatchSize = 8, LearningRate = 1e-3, Seed = 1, Device = ComputeDevice.Cpu, MaxStepsPerEpoch = 3,
            Adversarial = new AdversarialTraining { DiscStart = 0 },
        };
        var run = Path.Combine(scratch, KebabCase.Name(arch));
        new TrainingLoop(options, rand(24, 1, 28, 28), rand(8, 1, 28, 28)).Run(run);
        Assert.True(File.Exists(Path.Combine(run, Checkpoint.LastFolder, AdversarialLoss.DiscriminatorFile)));

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(ExportCli.Run(["--model", run, "--verify"], output, error) == 0, error.ToString());
        Assert.Contains("Verification passed.", output.ToString());
        var graphs = Directory.GetFiles(Path.Combine(run, OnnxContract.OutputFolder), "*.onnx").Select(Path.GetFileName).Order();
        Assert.Equal(OnnxContract.Files.Order(), graphs);
        Assert.All(Directory.GetFiles(Path.Combine(run, OnnxContract.OutputFolder)),
            file => Assert.DoesNotContain("discriminator", File.ReadAllText(file), StringComparison.OrdinalIgnoreCase));
    }
}
