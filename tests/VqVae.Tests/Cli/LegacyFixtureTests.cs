using VqVae.Checkpoints;
using VqVae.TestSupport;
using VqVae.Training;

namespace VqVae.Tests.Cli;

/// <summary>A run written by an earlier version (tests/fixtures/legacy) still loads and resumes.</summary>
public class LegacyFixtureTests
{
    [Fact]
    public void Its_checkpoints_load_with_the_shape_they_were_written_with()
    {
        foreach (var folder in new[] { Checkpoint.BestFolder, Checkpoint.LastFolder })
        {
            // Load is strict: every weight the model has must be in model.bin with its shape.
            var (model, info) = Checkpoint.Load(Path.Combine(LegacyFixture.Run, folder));
            model.Dispose();
            Assert.Equal((8, 16, 4), (info.Model.HiddenSize, info.Model.CodebookSize, info.Model.PatchSize));
            Assert.Equal(1, info.Epoch);
        }
    }

    [Fact]
    public void Train_resume_continues_it_to_a_second_epoch()
    {
        using var dir = new TempFolder();
        var run = LegacyFixture.CopyTo(dir.Path, TestData.MnistDir);
        var resumed = ChildProcess.Run("vqvae-train.dll", "train", "--out", run, "--resume", "--epochs", "2", "--max-steps-per-epoch", "3", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        var rows = File.ReadAllLines(Path.Combine(run, TrainingLoop.MetricsFile)).Skip(1).Select(r => r.Split(',')[0]);
        Assert.Equal(["1", "2"], rows);
        Assert.Equal(2, Checkpoint.ReadInfo(Path.Combine(run, Checkpoint.LastFolder)).Epoch);
        // The epoch trained before SSIM was measured keeps an empty val_ssim; the resumed one has its figure.
        var lines = File.ReadAllLines(Path.Combine(run, TrainingLoop.MetricsFile)).Select(l => l.Split(',')).ToList();
        int ssim = Array.IndexOf(lines[0], "val_ssim");
        Assert.Equal("", lines[1][ssim]);
        Assert.InRange(double.Parse(lines[2][ssim], System.Globalization.CultureInfo.InvariantCulture), -1, 1);
    }

    [Fact]
    public void Report_prints_it_with_no_SSIM_figure()
    {
        var report = ChildProcess.Run("vqvae-train.dll", "report", LegacyFixture.Run);
        Assert.True(report.ExitCode == 0, report.Stderr);
        var lines = report.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split('|').Select(c => c.Trim()).ToList();
        var row = lines[2].Split('|').Select(c => c.Trim()).ToList();
        Assert.Equal("—", row[header.IndexOf("SSIM")]);
        Assert.Equal("0.1998", row[header.IndexOf("val MSE")]);
    }
}
