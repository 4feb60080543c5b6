using VqVae.Checkpoints;
using VqVae.Data;
using VqVae.TestSupport;
using VqVae.Training;

namespace VqVae.Tests.Cli;

/// <summary>
/// vqvae-train fed what a careless or hostile user gives it, as a real process: one line on stderr
/// naming the option or file, a non-zero exit, and nothing of the user's lost or half-written.
/// </summary>
public class FailureModeTests
{
    const string Trainer = "vqvae-train.dll";

    static string[] Tiny(string data, string outDir, params string[] more) => Sized(data, outDir, 1, 16, 8, more);

    static string[] Sized(string data, string outDir, int epochs, int hidden, int codes, params string[] more) => new[]
    {
        "train", "--preset", "mnist", "--data", data, "--out", outDir, "--epochs", $"{epochs}", "--max-steps-per-epoch", "3",
        "--hidden-size", $"{hidden}", "--codebook-size", $"{codes}", "--batch-size", "32", "--device", "cpu", "--threads", "1",
    }.Concat(more).ToArray();

    static string[] Resume(string run) => Sized(TestData.MnistDir, run, 2, 16, 8, "--resume");

    /// <summary>A folder of small RGB PNGs to train on (resized to 28×28 grey).</summary>
    static string Images(TempFolder dir, string name = "images", int count = 6)
    {
        var folder = Directory.CreateDirectory(dir.File(name)).FullName;
        for (int i = 0; i < count; i++) BadFiles.WritePng(Path.Combine(folder, $"img{i}.png"), 12, (byte)(i * 40));
        return folder;
    }

    static void AssertOneLine(ChildProcess.Result run, int exitCode, params string[] contains)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}: {run.Stderr}{run.Stdout}");
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var text in contains) Assert.Contains(text, line);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("Exception", run.Stderr);
    }

    static string[] Listing(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)).Order().ToArray();

    [Fact]
    public void Force_never_deletes_the_training_data_or_a_folder_the_trainer_did_not_write()
    {
        using var dir = new TempFolder();
        var images = Images(dir);
        var before = Listing(images);

        AssertOneLine(ChildProcess.Run(Trainer, Tiny(images, images, "--force")), 2, "is --data itself");
        AssertOneLine(ChildProcess.Run(Trainer, Tiny(images, dir.Path, "--force")), 2, "holds --data");
        AssertOneLine(ChildProcess.Run(Trainer, Tiny(images, Path.Combine(images, "run"), "--force")), 2, "lies inside --data");
        Assert.Equal(before, Listing(images));

        var users = Directory.CreateDirectory(dir.File("users")).FullName;
        File.WriteAllText(Path.Combine(users, "thesis.tex"), "years of work");
        AssertOneLine(ChildProcess.Run(Trainer, Tiny(images, users, "--force")), 2, users, "not written by vqvae-train");
        Assert.Equal("years of work", File.ReadAllText(Path.Combine(users, "thesis.tex")));

        // A run the trainer wrote is its own to replace.
        var run = dir.File("run");
        Assert.Equal(0, ChildProcess.Run(Trainer, Tiny(images, run)).ExitCode);
        Assert.True(File.Exists(Path.Combine(run, OutputFolder.ManifestFile)));
        var again = ChildProcess.Run(Trainer, Tiny(images, run, "--force"));
        Assert.True(again.ExitCode == 0, again.Stderr);
    }

    [Fact]
    public void An_output_that_is_a_file_is_refused()
    {
        using var dir = new TempFolder();
        var file = dir.File("out");
        File.WriteAllText(file, "a file");
        AssertOneLine(ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, file)), 2, file, "is an existing file");
        Assert.Equal("a file", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("--epochs", "abc", "--epochs: cannot parse 'abc' as an integer")]
    [InlineData("--lr", "fast", "--lr: cannot parse 'fast' as a number")]
    [InlineData("--epochs", "0", "--epochs 0: must be at least 1")]
    [InlineData("--batch-size", "0", "--batch-size 0: must be at least 1")]
    [InlineData("--batch-size", "-5", "--batch-size -5: must be at least 1")]
    [InlineData("--threads", "-1", "--threads -1")]
    [InlineData("--max-steps-per-epoch", "-1", "--max-steps-per-epoch -1: must be 0 (whole epochs) or more")]
    [InlineData("--lr", "-0.1", "--lr -0.1")]
    [InlineData("--lr", "0", "--lr 0")]
    [InlineData("--lr", "NaN", "--lr NaN")]
    [InlineData("--lr", "Infinity", "--lr Infinity")]
    [InlineData("--beta", "NaN", "beta must be a finite number")]
    [InlineData("--beta", "-1", "beta must be a finite number")]
    [InlineData("--codebook-size", "0", "codebook size must be positive")]
    [InlineData("--codebook-size", "2000000000", "--codebook-size 2000000000")]
    [InlineData("--batch-size", "2147483647", "--batch-size 2147483647: a training step on a batch of that many images would need")]
    [InlineData("--threads", "2147483647", "--threads 2147483647: at most 1024 threads")]
    public void Option_values_out_of_range_are_one_line_naming_the_option(string option, string value, string message)
    {
        using var dir = new TempFolder();
        var outDir = dir.File("out");
        var args = Tiny(TestData.MnistDir, outDir).ToList();
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else args.AddRange([option, value]);
        AssertOneLine(ChildProcess.Run(Trainer, args.ToArray()), 2, message);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_decoder_table_where_a_position_is_not_one_code_is_refused()
    {
        foreach (var (model, reason) in new[]
        {
            (new[] { "--arch", "conv" }, "the conv model's decoder mixes neighbouring positions"),
            (new[] { "--quantizer", "rvq" }, "residual VQ sums several codes per position"),
        })
        {
            using var dir = new TempFolder();
            var outDir = dir.File("out");
            AssertOneLine(ChildProcess.Run(Trainer, [.. Tiny(TestData.MnistDir, outDir), .. model, "--decoder-path", "table"]), 2, $"--decoder-path table: {reason}");
            Assert.False(Directory.Exists(outDir));
        }
    }

    [Fact]
    public void Fsq_levels_whose_product_overflows_are_refused_as_too_many_codes()
    {
        using var dir = new TempFolder();
        var outDir = dir.File("out");
        var args = Tiny(TestData.MnistDir, outDir).ToList();
        args.RemoveRange(args.IndexOf("--codebook-size"), 2);
        args.AddRange(["--quantizer", "fsq", "--levels", "65536,65536,65536,65536"]);
        AssertOneLine(ChildProcess.Run(Trainer, args.ToArray()), 2, "--levels 65536,65536,65536,65536: the levels multiply to more than the 1048576 codes allowed");
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void An_image_whose_header_claims_enormous_dimensions_is_refused_from_the_header()
    {
        using var dir = new TempFolder();
        var images = Images(dir);
        var huge = Path.Combine(images, "huge.png");
        BadFiles.WritePngClaiming(huge, 100_000, 100_000);
        AssertOneLine(ChildProcess.Run(Trainer, Tiny(images, dir.File("out"))), 2, huge, "claims 100000×100000 pixels");
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void Idx_files_whose_counts_disagree_or_hold_no_images_are_refused()
    {
        using var dir = new TempFolder();
        var pixels = new byte[5 * 28 * 28];
        var mismatched = Directory.CreateDirectory(dir.File("mismatched")).FullName;
        IdxWriter.WriteImages(Path.Combine(mismatched, MnistDataset.TrainImages), pixels, 5, 28, 28);
        IdxWriter.WriteLabels(Path.Combine(mismatched, MnistDataset.TrainLabels), new byte[4]);
        IdxWriter.WriteImages(Path.Combine(mismatched, MnistDataset.TestImages), pixels, 5, 28, 28);
        AssertOneLine(ChildProcess.Run(Trainer, Tiny(mismatched, dir.File("out1"))), 2, MnistDataset.TrainLabels, "4 labels but", "5 images");

        var empty = Directory.CreateDirectory(dir.File("empty")).FullName;
        IdxWriter.WriteImages(Path.Combine(empty, MnistDataset.TrainImages), [], 0, 28, 28);
        IdxWriter.WriteImages(Path.Combine(empty, MnistDataset.TestImages), pixels, 5, 28, 28);
        AssertOneLine(ChildProcess.Run(Trainer, Tiny(empty, dir.File("out2"))), 2, MnistDataset.TrainImages, "holds no images");
    }

    [Theory]
    [InlineData(Checkpoint.WeightsFile)]
    [InlineData(Checkpoint.OptimizerFile)]
    public void Resuming_from_a_truncated_checkpoint_names_the_file(string file)
    {
        using var dir = new TempFolder();
        var run = dir.File("run");
        Assert.Equal(0, ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, run)).ExitCode);
        var path = Path.Combine(run, Checkpoint.LastFolder, file);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var before = Listing(run);

        var resumed = ChildProcess.Run(Trainer, Resume(run));
        AssertOneLine(resumed, 2, path, "damaged (cut short or overwritten)");
        Assert.Equal(before, Listing(run));
    }

    [Fact]
    public void A_learning_rate_that_diverges_stops_with_the_epoch_the_loss_and_the_cause()
    {
        using var dir = new TempFolder();
        var run = dir.File("run");
        var result = ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, run, "--lr", "1e6"));
        AssertOneLine(result, 3, "diverged in epoch 1", "train loss", "learning rate (--lr 1000000) is likely too high", $"{run} was removed");
        // No folder under the run's name that looks like a run but holds no model.
        Assert.False(Directory.Exists(run));
        // The diverged epoch's metrics, as measured, where the message says they are.
        var kept = result.Stderr.Trim()[(result.Stderr.Trim().LastIndexOf(" in ", StringComparison.Ordinal) + 4)..];
        Assert.Equal("1", File.ReadAllLines(kept)[1].Split(',')[0]);
        File.Delete(kept);
    }

    [Fact]
    public void An_epoch_that_diverges_after_finite_ones_leaves_best_and_last_as_they_were()
    {
        using var dir = new TempFolder();
        var run = dir.File("run");
        Assert.Equal(0, ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, run)).ExitCode);
        // Weights blown up to 1e20 (what a too-large step does), saved as last/ so the resumed epoch diverges.
        var last = Path.Combine(run, Checkpoint.LastFolder);
        var (model, _) = Checkpoint.Load(last);
        using (TorchSharp.torch.no_grad())
            foreach (var p in model.parameters()) p.fill_(1e20f);
        model.save(Path.Combine(last, Checkpoint.WeightsFile));
        var snapshot = Snapshot(run);

        var resumed = ChildProcess.Run(Trainer, Resume(run));
        AssertOneLine(resumed, 3, "diverged in epoch 2", "keep epoch 1");
        foreach (var (file, bytes) in snapshot)
            if (file.StartsWith(Checkpoint.BestFolder) || file.StartsWith(Checkpoint.LastFolder))
                Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(run, file))), $"{file} changed");
        Assert.Empty(BadFiles.Temporaries(run));
    }

    [Fact]
    public void A_full_disk_while_writing_checkpoints_is_one_line_naming_the_file()
    {
        using var disk = new Tmpfs("1m");
        var run = disk.File("run");
        // D=256, K=128: model.bin alone is about 690 KB, so best/ fits in 1 MB and last/ cannot.
        var args = Sized(TestData.MnistDir, run, 1, 256, 128);
        var result = ChildProcess.Run(Trainer, args);
        AssertOneLine(result, 2, "no space left on device while writing", run);
        Assert.DoesNotContain(".tmp-", result.Stderr);
        // Stopped before its first checkpoint was whole: no run folder without a model is left.
        Assert.False(Directory.Exists(run), string.Join(", ", Directory.Exists(run) ? Directory.GetFileSystemEntries(run) : []));
        Assert.Empty(BadFiles.Temporaries(run));
        Assert.Empty(BadFiles.Temporaries(disk.Path));
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_stops_training_with_the_usual_exit_code_and_no_temporaries(string signal, int exitCode)
    {
        using var dir = new TempFolder();
        var run = dir.File("run");
        var args = Sized(TestData.MnistDir, run, 200, 16, 8);
        using var process = ChildProcess.Start(Trainer, args);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(Path.Combine(run, Checkpoint.LastFolder, Checkpoint.ConfigFile)))
        {
            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "training never wrote a checkpoint");
            Thread.Sleep(20);
        }
        BadFiles.Signal(process, signal);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "the process did not stop");
        Assert.Equal(exitCode, process.ExitCode);
        Assert.Contains($"stopped by SIG{signal}", await stderr);
        Assert.Empty(BadFiles.Temporaries(run));
        Checkpoint.Load(Path.Combine(run, Checkpoint.LastFolder)); // what was saved is whole
    }

    [Fact]
    public void Resuming_a_run_another_process_is_writing_is_refused_in_one_line_and_a_dead_ones_claim_is_taken_over()
    {
        using var dir = new TempFolder();
        var run = dir.File("run");
        Assert.Equal(0, ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, run)).ExitCode);
        var before = Snapshot(run);
        var claim = dir.File(".run.claim");
        using (var other = System.Diagnostics.Process.Start("sleep", "60")!)
        {
            // What a second terminal's `train --resume` of this run leaves while it trains.
            File.WriteAllText(claim, new ProcessIdentity(ProcessIdentity.Current.Host, other.Id).Tag + "\n");
            AssertOneLine(ChildProcess.Run(Trainer, Resume(run)), 2, $"{run} is being written by process {other.Id} on {ProcessIdentity.Current.Host}");
            other.Kill();
            other.WaitForExit();
        }
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(run, file)));

        // That process is gone now: its claim is stale, and the resume goes ahead.
        var resumed = ChildProcess.Run(Trainer, Resume(run));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.False(File.Exists(claim));
    }

    [Fact]
    public async Task A_signal_before_the_first_checkpoint_leaves_no_run_folder()
    {
        using var dir = new TempFolder();
        var run = dir.File("run");
        var args = Sized(TestData.MnistDir, run, 1, 16, 8).ToList();
        args[args.IndexOf("--max-steps-per-epoch") + 1] = "100000";
        var (exitCode, stderr) = await BadFiles.SignalOnceExists(Trainer, args, Path.Combine(run, OutputFolder.ManifestFile), "TERM");
        Assert.Equal(143, exitCode);
        Assert.Contains("stopped by SIGTERM", stderr);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void Temporaries_of_a_killed_run_are_removed_by_the_next_one()
    {
        using var dir = new TempFolder();
        var run = dir.File("run");
        Assert.Equal(0, ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, run)).ExitCode);
        // What kill -9 in the middle of a checkpoint leaves: a temporary named after a process that is gone.
        var dead = ProcessTags.DeadHere();
        var stale = Path.Combine(run, $".last.tmp-{dead}");
        Directory.CreateDirectory(stale);
        File.WriteAllText(Path.Combine(stale, "model.bin"), "half");
        var staleBeside = dir.File($".other.tmp-{dead}");
        Directory.CreateDirectory(staleBeside);
        // Another host's, on a shared file system: its process may be running, and this host cannot tell.
        var otherHosts = dir.File($".other.tmp-{ProcessTags.OtherHost()}");
        Directory.CreateDirectory(otherHosts);

        var resumed = ChildProcess.Run(Trainer, Resume(run));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.False(Directory.Exists(stale));
        Assert.Equal(0, ChildProcess.Run(Trainer, Tiny(TestData.MnistDir, dir.File("second"))).ExitCode);
        Assert.False(Directory.Exists(staleBeside));
        Assert.True(Directory.Exists(otherHosts));
    }

    static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);
}
