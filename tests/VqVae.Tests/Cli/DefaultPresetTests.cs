using VqVae.Checkpoints;
using VqVae.TestSupport;
using VqVae.Training;

namespace VqVae.Tests.Cli;

/// <summary>`train` without --preset trains the recipe that keeps its codebook in use, not the post's.</summary>
public class DefaultPresetTests
{
    [Fact]
    public void Train_without_a_preset_trains_mnist_plus()
    {
        using var dir = new TempFolder();
        var run = ChildProcess.Run("vqvae-train.dll",
            "train", "--data", TestData.MnistDir, "--out", dir.Path, "--epochs", "1", "--max-steps-per-epoch", "3",
            "--hidden-size", "16", "--codebook-size", "8", "--device", "cpu");
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var info = Checkpoint.ReadInfo(Path.Combine(dir.Path, "best"));
        Assert.Equal("mnist-plus", info.Training?.Preset);
        Assert.Equal("mnist", info.Training!.Dataset);
        Assert.Equal(Presets.Get("mnist-plus").LearningRate, info.Training.LearningRate);
        Assert.Equal(Presets.Get("mnist-plus").Codebook, info.Training.Codebook);
    }
}
