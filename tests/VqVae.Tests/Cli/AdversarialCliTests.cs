using System.Text.Json;
using VqVae.Adversarial;
using VqVae.Checkpoints;
using VqVae.TestSupport;
using VqVae.Training;

namespace VqVae.Tests.Cli;

/// <summary>`train --adversarial`: recorded in config.json, its discriminator resumed with the run.</summary>
public class AdversarialCliTests
{
    const string Trainer = "vqvae-train.dll";

    static string[] Args(string outDir, string epochs, params string[] more) =>
    [
        "train", "--preset", "mnist", "--data", TestData.MnistDir, "--out", outDir, "--epochs", epochs, "--max-steps-per-epoch", "4",
        "--batch-size", "32", "--hidden-size", "16", "--codebook-size", "8", "--device", "cpu", "--threads", "1", "--seed", "3", .. more,
    ];

    [Fact]
    public void A_resumed_adversarial_run_ends_with_the_weights_of_an_unbroken_one()
    {
        using var dir = new TempFolder();
        string[] adversarial = ["--adversarial", "--disc-start", "2", "--disc-weight", "0.5", "--disc-warmup", "3"];
        var unbroken = dir.File("unbroken");
        var straight = ChildProcess.Run(Trainer, Args(unbroken, "2", adversarial));
        Assert.True(straight.ExitCode == 0, straight.Stderr + straight.Stdout);

        var broken = dir.File("broken");
        var first = ChildProcess.Run(Trainer, Args(broken, "1", adversarial));
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        var last = Path.Combine(broken, Checkpoint.LastFolder);
        Assert.True(File.Exists(Path.Combine(last, AdversarialLoss.DiscriminatorFile)));
        Assert.True(File.Exists(Path.Combine(last, AdversarialLoss.DiscriminatorOptimizerFile)));
        // The discriminator trains the model; best/ (what export, score and report read) holds the model alone.
        Assert.False(File.Exists(Path.Combine(broken, Checkpoint.BestFolder, AdversarialLoss.DiscriminatorFile)));
        var settings = Checkpoint.ReadInfo(last).Training!.Adversarial;
        Assert.Equal(new AdversarialTraining { DiscStart = 2, DiscWeight = 0.5, DiscWarmup = 3 }, settings);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(last, Checkpoint.ConfigFile))))
            Assert.Equal(2, config.RootElement.GetProperty("training").GetProperty("adversarial").GetProperty("disc_start").GetInt32());

        // Resumed with no adversarial option on the command line: the run's own settings and discriminator go on.
        var resumed = ChildProcess.Run(Trainer, "train", "--out", broken, "--resume", "--epochs", "2", "--max-steps-per-epoch", "4", "--device", "cpu", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        var (a, _) = Checkpoint.Load(Path.Combine(unbroken, Checkpoint.LastFolder));
        var (b, infoB) = Checkpoint.Load(last);
        Assert.Equal(2, infoB.Epoch);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.equal(pb).all().item<bool>(), $"{name} differs between the resumed and the unbroken run");
        Assert.Equal(File.ReadAllBytes(Path.Combine(unbroken, Checkpoint.LastFolder, AdversarialLoss.DiscriminatorFile)),
            File.ReadAllBytes(Path.Combine(last, AdversarialLoss.DiscriminatorFile)));
    }

    [Theory]
    [InlineData(new[] { "--disc-start", "5" }, "--disc-start: only with --adversarial")]
    [InlineData(new[] { "--adversarial", "--disc-weight", "0" }, "--disc-weight must be a finite number > 0, not 0")]
    [InlineData(new[] { "--adversarial", "--disc-start", "-1" }, "--disc-start must be 0 or more, not -1")]
    [InlineData(new[] { "--disc-warmup", "5" }, "--disc-warmup: only with --adversarial")]
    [InlineData(new[] { "--adversarial", "--disc-warmup", "-2" }, "--disc-warmup must be 0 or more, not -2")]
    [InlineData(new[] { "--adversarial", "--image-size", "8" }, "--adversarial: the discriminator needs images of at least 12×12, not 8×8")]
    public void Bad_adversarial_options_are_refused_in_one_line(string[] options, string message)
    {
        using var dir = new TempFolder();
        var run = dir.File("run");
        var result = ChildProcess.Run(Trainer, Args(run, "1", options));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {message}", Assert.Single(result.Stderr.TrimEnd().Split('\n')));
        Assert.False(Directory.Exists(run));
    }
}
