using System.Globalization;
using VqVae.Classifier;
using VqVae.Prior;
using VqVae.TestSupport;
using VqVae.Training;

namespace VqVae.Tests.Cli;

/// <summary>`train --classifier` and `prior --classifier`: the Fréchet distance where a run records and reports it.</summary>
public class FrechetCliTests
{
    const string Trainer = "vqvae-train.dll";

    static string Classifier(string dir)
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, "classifier")).FullName;
        using var classifier = new DigitClassifier();
        classifier.save(DigitFrechet.WeightsPath(folder));
        return folder;
    }

    static string[] Train(string run, params string[] more) =>
    [
        "train", "--preset", "mnist", "--data", TestData.MnistDir, "--out", run, "--epochs", "1", "--max-steps-per-epoch", "3",
        "--hidden-size", "16", "--codebook-size", "8", "--device", "cpu", "--threads", "1", .. more,
    ];

    [Fact]
    public void A_digit_run_records_reports_and_measures_its_prior_by_the_distance()
    {
        using var dir = new TempFolder();
        var classifier = Classifier(dir.Path);
        var run = Path.Combine(dir.Path, "run");
        var train = ChildProcess.Run(Trainer, Train(run, "--classifier", classifier));
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        var distance = Assert.Single(MetricsCsv.ReadColumn(Path.Combine(run, TrainingLoop.MetricsFile), "val_frechet"));
        Assert.True(distance > 0, $"{distance}");

        var report = ChildProcess.Run(Trainer, "report", run);
        Assert.True(report.ExitCode == 0, report.Stderr);
        var lines = report.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int column = lines[0].Split('|').Select(c => c.Trim()).ToList().IndexOf("Fréchet (digits)");
        Assert.Equal(distance.ToString("F2", CultureInfo.InvariantCulture), lines[2].Split('|')[column].Trim());

        var prior = ChildProcess.Run(Trainer, "prior", "--model", run, "--channels", "8", "--layers", "2", "--max-steps-per-epoch", "2",
            "--epochs", "1", "--device", "cpu", "--threads", "1", "--classifier", classifier);
        Assert.True(prior.ExitCode == 0, prior.Stderr + prior.Stdout);
        var measured = System.Text.Json.JsonSerializer.Deserialize<SampleFrechet>(
            File.ReadAllText(Path.Combine(run, PriorCheckpoint.DefaultFolder, PriorSampleFrechet.File)), ModelConfig.Json)!;
        Assert.Equal(1000, measured.Samples);
        Assert.True(measured.ReferenceDigits > 0 && measured.FrechetDistance > 0);
        Assert.Contains($"Fréchet distance of 1000 samples from {measured.ReferenceDigits} validation digits", prior.Stdout);

        // report shows the prior's distance beside the reconstructions' once the prior has measured it.
        var withPrior = ChildProcess.Run(Trainer, "report", run);
        Assert.True(withPrior.ExitCode == 0, withPrior.Stderr);
        var row = withPrior.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int priorColumn = row[0].Split('|').Select(c => c.Trim()).ToList().IndexOf("Fréchet (prior samples)");
        Assert.Equal(measured.FrechetDistance.ToString("F2", CultureInfo.InvariantCulture), row[2].Split('|')[priorColumn].Trim());
        Assert.Equal("—", lines[2].Split('|')[priorColumn].Trim());
    }

    [Fact]
    public void A_classifier_folder_without_weights_is_refused_in_one_line()
    {
        using var dir = new TempFolder();
        var empty = Directory.CreateDirectory(Path.Combine(dir.Path, "empty")).FullName;
        var run = Path.Combine(dir.Path, "run");
        var train = ChildProcess.Run(Trainer, Train(run, "--classifier", empty));
        Assert.Equal(2, train.ExitCode);
        Assert.Equal($"error: --classifier {empty}: no classifier.bin (train one with `vqvae-train classifier train --out {empty}`)",
            Assert.Single(train.Stderr.TrimEnd().Split('\n')));
        Assert.False(Directory.Exists(run));
    }
}
