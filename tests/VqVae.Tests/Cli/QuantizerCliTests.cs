using VqVae.Checkpoints;
using VqVae.TestSupport;

namespace VqVae.Tests.Cli;

/// <summary>--quantizer, --levels and --depth as a user types them: tiny runs of each kind, and one line for what cannot be.</summary>
public class QuantizerCliTests
{
    const string Trainer = "vqvae-train.dll";

    /// <summary>A tiny run; FSQ's codebook size comes from its levels, so it is given only to the others.</summary>
    static string[] Tiny(string outDir, params string[] more) => new[]
    {
        "train", "--preset", "mnist-plus", "--data", TestData.MnistDir, "--out", outDir, "--epochs", "1", "--max-steps-per-epoch", "3",
        "--hidden-size", "16", "--batch-size", "32", "--device", "cpu", "--threads", "1",
    }.Concat(more.Contains("fsq") ? [] : ["--codebook-size", "8"]).Concat(more).ToArray();

    static void AssertOneLine(ChildProcess.Result run, string contains)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}{run.Stdout}");
        Assert.Contains(contains, Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData("--levels 8,x,4: 'x' is not a whole number", "--quantizer", "fsq", "--levels", "8,x,4")]
    [InlineData("--levels 8,1,4: each level must be at least 2", "--quantizer", "fsq", "--levels", "8,1,4")]
    [InlineData("--depth 0: must be at least 1", "--quantizer", "rvq", "--depth", "0")]
    [InlineData("--depth 2: only --quantizer rvq has a depth", "--depth", "2")]
    [InlineData("--quantizer fsq: needs --levels", "--quantizer", "fsq")]
    [InlineData("--kmeans-init: --quantizer fsq has no codebook to train", "--quantizer", "fsq", "--levels", "4,4", "--kmeans-init")]
    public void Quantizer_options_that_cannot_train_are_named_in_one_line(string message, params string[] options)
    {
        using var dir = new TempFolder();
        var run = dir.File("run");
        AssertOneLine(ChildProcess.Run(Trainer, Tiny(run, options)), message);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void Fsq_trains_with_its_grid_as_the_codebook_and_the_prior_takes_it_but_refuses_rvq()
    {
        using var dir = new TempFolder();
        var fsq = dir.File("fsq");
        var train = ChildProcess.Run(Trainer, Tiny(fsq, "--quantizer", "fsq", "--levels", "4,3,2"));
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        Assert.Contains("warning: --levels 4,3,2: a level of 2 starts its channel where the bound is flat", train.Stderr);
        var info = Checkpoint.ReadInfo(Path.Combine(fsq, Checkpoint.BestFolder));
        Assert.Equal(QuantizerKind.Fsq, info.Model.Quantizer);
        Assert.Equal(24, info.Model.CodebookSize);
        Assert.False(info.Training!.Codebook.KmeansInit);
        Assert.Equal(0, info.Training.Codebook.DeadCodeThreshold);
        var prior = ChildProcess.Run(Trainer, "prior", "--model", fsq, "--channels", "8", "--layers", "2", "--epochs", "1",
            "--max-steps-per-epoch", "2", "--device", "cpu", "--threads", "1");
        Assert.True(prior.ExitCode == 0, prior.Stderr + prior.Stdout);

        var rvq = dir.File("rvq");
        train = ChildProcess.Run(Trainer, Tiny(rvq, "--quantizer", "rvq", "--depth", "2"));
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        var rvqModel = Checkpoint.ReadInfo(Path.Combine(rvq, Checkpoint.BestFolder)).Model;
        Assert.Equal(2, rvqModel.Depth);
        // Worded as the console and the report describe the quantizer.
        AssertOneLine(ChildProcess.Run(Trainer, "prior", "--model", rvq, "--device", "cpu"), $"this model ({rvqModel.QuantizerDescriptor.Describe(rvqModel)}) has 2");
        Assert.False(Directory.Exists(Path.Combine(rvq, "prior")));
        var chart = dir.File("rate-distortion.png");
        var report = ChildProcess.Run(Trainer, "report", rvq, fsq, "--rate-distortion", chart);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("| rvq 2 × 8 codes |", report.Stdout);
        Assert.Contains("| fsq 4,3,2 (24 codes) |", report.Stdout);
        // 28×28 digits at p = 4: 49 positions × 2 levels × log2 8 = 294 bits; 49 × log2 24 = 224.7.
        Assert.Contains("| 294 |", report.Stdout);
        Assert.Contains("| 225 |", report.Stdout);
        using var png = SkiaSharp.SKBitmap.Decode(chart);
        Assert.Equal((800, 500), (png.Width, png.Height));

        var missing = dir.File(Path.Combine("no-such-folder", "chart.png"));
        var refused = ChildProcess.Run(Trainer, "report", rvq, "--rate-distortion", missing);
        AssertOneLine(refused, $"--rate-distortion {missing}: folder {Path.GetDirectoryName(missing)} does not exist");
        Assert.Equal("", refused.Stdout);
    }
}
