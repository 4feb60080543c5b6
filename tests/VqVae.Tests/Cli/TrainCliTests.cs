using VqVae.Checkpoints;
using VqVae.TestSupport;
using VqVae.Training;

namespace VqVae.Tests.Cli;

public class TrainCliTests
{
    const string Trainer = "vqvae-train.dll";

    static string[] Tiny(string data, string outDir, params string[] more) => new[]
    {
        "train", "--preset", "mnist", "--data", data, "--out", outDir, "--epochs", "1", "--max-steps-per-epoch", "3",
        "--hidden-size", "16", "--codebook-size", "8", "--device", "cpu",
    }.Concat(more).ToArray();

    [Fact]
    public void Train_writes_checkpoints_metrics_and_the_three_pictures()
    {
        using var dir = new TempFolder();
        var run = ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, dir.Path));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        foreach (var file in new[]
        {
            "best/model.bin", "best/config.json", "last/model.bin", "last/config.json", "last/optimizer.bin",
            TrainingLoop.MetricsFile, TrainingPictures.LearningCurveFile, TrainingPictures.ReconstructionsFile, TrainingPictures.CodebookFile,
        })
            Assert.True(File.Exists(Path.Combine(dir.Path, file)), $"missing {file}");
        var info = Checkpoint.ReadInfo(Path.Combine(dir.Path, "best"));
        Assert.Equal(16, info.Model.HiddenSize);
        Assert.Equal("mnist", info.Training?.Dataset);
        Assert.Equal(1, info.Epoch);
        Assert.NotNull(info.Metrics);
    }

    [Fact]
    public void An_existing_output_folder_is_not_replaced_without_force()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("mine.txt"), "a user's file");
        var run = ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, dir.Path));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(dir.Path, run.Stderr);
        Assert.Contains("--force", run.Stderr);
        Assert.Equal("a user's file", File.ReadAllText(dir.File("mine.txt")));
    }

    [Fact]
    public void A_missing_data_folder_is_named_in_the_error()
    {
        using var dir = new TempFolder();
        var missing = dir.File("no-such-data");
        var run = ChildProcess.Run(Trainer, Tiny(missing, dir.File("out")));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(missing, run.Stderr);
        Assert.Contains("no such data folder", run.Stderr);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void A_folder_with_a_broken_image_is_refused_with_the_file_named()
    {
        using var dir = new TempFolder();
        var images = Directory.CreateDirectory(dir.File("images")).FullName;
        File.WriteAllText(Path.Combine(images, "broken.png"), "not a png");
        var run = ChildProcess.Run(Trainer, Tiny(images, dir.File("out")));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("broken.png", run.Stderr);
    }

    [Fact]
    public void A_patch_size_that_does_not_divide_the_image_is_refused()
    {
        using var dir = new TempFolder();
        var run = ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, dir.File("out"), "--patch-size", "5"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("patch size 5", run.Stderr);
    }
}
