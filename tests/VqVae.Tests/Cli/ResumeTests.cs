using VqVae.Checkpoints;
using VqVae.TestSupport;
using VqVae.Training;

namespace VqVae.Tests.Cli;

/// <summary>A training process killed with SIGKILL resumes from its last checkpoint and ends where an uninterrupted run ends.</summary>
public class ResumeTests
{
    static string[] Args(string outDir, params string[] more) => new[]
    {
        "train", "--preset", "mnist", "--data", TestData.MnistDir, "--out", outDir, "--epochs", "4", "--max-steps-per-epoch", "6",
        "--batch-size", "64", "--hidden-size", "32", "--codebook-size", "16", "--device", "cpu", "--threads", "1", "--seed", "5",
        "--lr", "1e-3",
    }.Concat(more).ToArray();

    [Fact]
    public void A_run_killed_mid_epoch_resumes_to_the_same_weights_as_an_uninterrupted_run()
    {
        using var dir = new TempFolder();
        var reference = dir.File("reference");
        var killed = dir.File("killed");
        var uninterrupted = ChildProcess.Run("vqvae-train.dll", Args(reference));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr);

        using (var process = ChildProcess.Start("vqvae-train.dll", Args(killed)))
        {
            // Wait for epoch 2's checkpoint, then kill during epoch 3 with no chance to clean up.
            var lastConfig = Path.Combine(killed, Checkpoint.LastFolder, Checkpoint.ConfigFile);
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!(File.Exists(lastConfig) && TryEpoch(killed) >= 2))
            {
                Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "training never reached epoch 2");
                Thread.Sleep(20);
            }
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        int epochAtKill = TryEpoch(killed);
        Assert.InRange(epochAtKill, 2, 3);
        Checkpoint.Load(killed); // the best checkpoint survived the kill whole

        var resumed = ChildProcess.Run("vqvae-train.dll", Args(killed, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);

        var (a, infoA) = Checkpoint.Load(Path.Combine(reference, Checkpoint.LastFolder));
        var (b, infoB) = Checkpoint.Load(Path.Combine(killed, Checkpoint.LastFolder));
        Assert.Equal(4, infoB.Epoch);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.equal(pb).all().item<bool>(), $"{name} differs between the resumed and the uninterrupted run");
        Assert.Equal(infoA.Metrics!.ValidationMse, infoB.Metrics!.ValidationMse, 6);
        var epochs = File.ReadAllLines(Path.Combine(killed, TrainingLoop.MetricsFile)).Skip(1).Select(l => l.Split(',')[0]);
        Assert.Equal(new[] { "1", "2", "3", "4" }, epochs);
    }

    [Fact]
    public void A_resumed_run_keeps_its_own_codebook_training_when_the_command_line_names_none()
    {
        using var dir = new TempFolder();
        var first = ChildProcess.Run("vqvae-train.dll", Args(dir.Path).Select(a => a == "4" ? "1" : a).ToArray());
        Assert.True(first.ExitCode == 0, first.Stderr);

        // Only the folder: the command line's default preset (mnist-plus, an EMA codebook) must not replace
        // the run's own (mnist: a codebook trained by its loss, whose weights the optimizer state holds).
        var resumed = ChildProcess.Run("vqvae-train.dll", "train", "--out", dir.Path, "--resume", "--epochs", "2", "--max-steps-per-epoch", "6", "--device", "cpu", "--threads", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        var info = Checkpoint.ReadInfo(Path.Combine(dir.Path, Checkpoint.LastFolder));
        Assert.Equal(2, info.Epoch);
        Assert.Equal(CodebookUpdate.Loss, info.Training!.Codebook.Update);
        Assert.Equal("mnist", info.Training.Preset);
    }

    [Fact]
    public void Resume_without_a_run_is_refused()
    {
        using var dir = new TempFolder();
        var run = ChildProcess.Run("vqvae-train.dll", Args(dir.File("nothing"), "--resume"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nothing to resume", run.Stderr);
    }

    [Fact]
    public void A_checkpoint_swap_cut_short_by_a_kill_is_put_back()
    {
        using var dir = new TempFolder();
        var run = ChildProcess.Run("vqvae-train.dll", Args(dir.Path).Select(a => a == "4" ? "1" : a).ToArray());
        Assert.True(run.ExitCode == 0, run.Stderr);
        // The state a kill between AtomicFile.WriteDirectory's two renames leaves behind.
        Directory.Move(dir.File("best"), dir.File("best.old"));
        var (_, info) = Checkpoint.Load(dir.Path);
        Assert.Equal(1, info.Epoch);
        Assert.True(Directory.Exists(dir.File("best")));
    }

    static int TryEpoch(string runDir)
    {
        try { return Checkpoint.ReadInfo(Path.Combine(runDir, Checkpoint.LastFolder)).Epoch; }
        catch (Exception e) when (e is IOException or InvalidDataException) { return 0; }
    }
}
