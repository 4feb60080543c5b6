using VqVae.Checkpoints;
using VqVae.Prior;
using VqVae.TestSupport;

namespace VqVae.Tests.Cli;

public class PriorCliTests
{
    const string Trainer = "vqvae-train.dll";

    static string TrainTinyVqVae(string dir)
    {
        var run = Path.Combine(dir, "run");
        var train = ChildProcess.Run(Trainer, "train", "--preset", "mnist", "--data", TestData.MnistDir, "--out", run, "--epochs", "1",
            "--max-steps-per-epoch", "3", "--hidden-size", "16", "--codebook-size", "8", "--device", "cpu", "--threads", "1");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        return run;
    }

    static string[] Prior(string run, params string[] more) => new[]
    {
        "prior", "--model", run, "--class-conditional", "--channels", "8", "--layers", "2", "--max-steps-per-epoch", "3",
        "--device", "cpu", "--threads", "1",
    }.Concat(more).ToArray();

    [Fact]
    public void Prior_trains_on_the_runs_codes_records_bits_and_resumes()
    {
        using var dir = new TempFolder();
        var run = TrainTinyVqVae(dir.Path);

        var first = ChildProcess.Run(Trainer, Prior(run, "--epochs", "1"));
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        var prior = Path.Combine(run, PriorCheckpoint.DefaultFolder);
        foreach (var file in new[] { "best/prior.json", "best/model.bin", "last/optimizer.bin", PriorTrainingLoop.MetricsFile, PriorTrainingLoop.SamplesFile })
            Assert.True(File.Exists(Path.Combine(prior, file)), $"missing {file}");
        var info = PriorCheckpoint.ReadInfo(Path.Combine(prior, "best"));
        Assert.Equal(new PriorConfig { CodebookSize = 8, Height = 7, Width = 7, Channels = 8, Layers = 2, ClassCount = 10 }, info.Prior);
        var m = info.Metrics!;
        Assert.Equal(3.0, m.UniformBitsPerCode, 9);                                  // log2 8
        Assert.InRange(m.HistogramBitsPerCode, 0.0, 3.0);
        Assert.Equal(m.ValidationBitsPerCode * 49, m.ValidationBitsPerImage, 6);

        var again = ChildProcess.Run(Trainer, Prior(run, "--epochs", "1"));
        Assert.Equal(2, again.ExitCode);                                             // exists: neither --force nor --resume
        // Its manifest names the command: `prior --force` may replace it, `train --force` may not.
        Assert.Equal(VqVae.Trainer.PriorCommand.Tool, OutputFolder.Owner(prior));

        var resumed = ChildProcess.Run(Trainer, Prior(run, "--epochs", "2", "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        var rows = File.ReadAllLines(Path.Combine(prior, PriorTrainingLoop.MetricsFile));
        Assert.Equal(PriorTrainingLoop.MetricsHeader, rows[0]);
        Assert.Equal(new[] { "1", "2" }, rows.Skip(1).Select(r => r.Split(',')[0]));
    }

    [Fact]
    public void Resuming_a_damaged_prior_names_the_file_and_what_to_do()
    {
        using var dir = new TempFolder();
        var run = TrainTinyVqVae(dir.Path);
        var first = ChildProcess.Run(Trainer, Prior(run, "--epochs", "1"));
        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        var last = Path.Combine(run, PriorCheckpoint.DefaultFolder, Checkpoint.LastFolder);
        foreach (var (file, message) in new[]
        {
            (Checkpoint.WeightsFile, "damaged (cut short or overwritten), it cannot be read; train the prior again"),
            (PriorCheckpoint.ConfigFile, "damaged, not a whole prior configuration (it ends early or is not JSON"),
        })
        {
            var path = Path.Combine(last, file);
            var whole = File.ReadAllBytes(path);
            File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
            var resumed = ChildProcess.Run(Trainer, Prior(run, "--epochs", "2", "--resume"));
            Assert.True(resumed.ExitCode == 2, resumed.Stderr + resumed.Stdout);
            Assert.Contains($"{path}: {message}", Assert.Single(resumed.Stderr.TrimEnd().Split('\n')));
            File.WriteAllBytes(path, whole);
        }
    }

    [Fact]
    public async Task A_signal_before_the_priors_first_checkpoint_leaves_no_prior_folder()
    {
        using var dir = new TempFolder();
        var run = TrainTinyVqVae(dir.Path);
        var args = Prior(run, "--epochs", "1").ToList();
        args[args.IndexOf("--max-steps-per-epoch") + 1] = "100000";
        var prior = Path.Combine(run, PriorCheckpoint.DefaultFolder);
        var (exitCode, stderr) = await BadFiles.SignalOnceExists(Trainer, args, Path.Combine(prior, OutputFolder.ManifestFile), "TERM");
        Assert.Equal(143, exitCode);
        Assert.Contains("stopped by SIGTERM", stderr);
        Assert.False(Directory.Exists(prior));
        Assert.True(Directory.Exists(Path.Combine(run, Checkpoint.BestFolder)));
    }

    [Fact]
    public void Report_given_a_checkpoint_folder_names_the_run_folder_to_give_instead()
    {
        using var dir = new TempFolder();
        var run = TrainTinyVqVae(dir.Path);
        var best = Path.Combine(run, Checkpoint.BestFolder);
        var chart = Path.Combine(dir.Path, "rd.png");
        var result = ChildProcess.Run(Trainer, "report", "--rate-distortion", chart, best);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {best}: a checkpoint folder, not a training run; report reads a run's metrics.csv, so give the run folder ({run})",
            Assert.Single(result.Stderr.TrimEnd().Split('\n')));
        Assert.Equal("", result.Stdout);
        Assert.False(File.Exists(chart));
        var report = ChildProcess.Run(Trainer, "report", run);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("| run |", report.Stdout);
        // A 28×28 run has an SSIM: a number in its column, not the dash of runs without one.
        var lines = report.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var column = lines[0].Split('|').Select(c => c.Trim()).ToList().IndexOf("SSIM");
        Assert.InRange(double.Parse(lines[2].Split('|')[column], System.Globalization.CultureInfo.InvariantCulture), -1, 1);
    }

    [Fact]
    public void A_folder_that_is_not_a_checkpoint_is_refused_in_one_line()
    {
        using var dir = new TempFolder();
        var result = ChildProcess.Run(Trainer, "prior", "--model", dir.Path, "--out", Path.Combine(dir.Path, "p"));
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
        Assert.Contains("not a checkpoint", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "p")));
    }
}
