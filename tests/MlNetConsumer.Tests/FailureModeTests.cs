using System.Diagnostics;
using VqVae.TestSupport;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// vqvae-score fed what a careless or hostile user gives it: one line naming the option or file, a
/// non-zero exit, nothing of the user's lost and nothing half-written left.
/// </summary>
[Collection(TrainedCollection.Name)]
public sealed class FailureModeTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-score-failures-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    string CopyImages(string name)
    {
        var target = Path.Combine(temp, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(models.Rgb.ImagesFolder, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(models.Rgb.ImagesFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    static string[] Listing(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)).Order().ToArray();

    static void AssertOneLine(Cli.Result run, int exitCode, params string[] contains)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}: {run.Err}");
        var line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var text in contains) Assert.Contains(text, line);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public void Score_with_force_never_deletes_the_images_it_reads()
    {
        var parent = Path.Combine(temp, "parent");
        var images = Path.Combine(parent, "images");
        Directory.CreateDirectory(parent);
        Directory.Move(CopyImages("images"), images);
        var before = Listing(parent);

        AssertOneLine(Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", images, "--out", parent, "--force"), 2, "holds --images");
        AssertOneLine(Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", images, "--out", images, "--force"), 2, "--images");
        AssertOneLine(Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", images, "--out", models.Rgb.OnnxFolder, "--force"), 2, "is --model itself");
        Assert.Equal(before, Listing(parent));
    }

    [Fact]
    public void Decode_with_force_never_deletes_the_codes_it_reads()
    {
        var scored = Path.Combine(temp, "scored");
        Assert.Equal(0, Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", models.Rgb.ImagesFolder, "--out", scored).ExitCode);
        var codes = Path.Combine(scored, "codes.csv");
        var text = File.ReadAllText(codes);
        // scored/ is vqvae-score's own output, so only the input rule keeps codes.csv.
        AssertOneLine(Cli.Run("decode", "--model", models.Rgb.OnnxFolder, "--codes", codes, "--out", scored, "--force"), 2, "holds --codes", codes);
        Assert.Equal(text, File.ReadAllText(codes));
    }

    [Fact]
    public void An_image_whose_header_claims_enormous_dimensions_is_reported_and_the_rest_scored()
    {
        var images = CopyImages("images");
        BadFiles.WritePngClaiming(Path.Combine(images, "huge.png"), 100_000, 100_000);
        var output = Path.Combine(temp, "out");
        var run = Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", images, "--out", output);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("failed: huge.png: the header claims 100000×100000 pixels, more than the 64 megapixels decoded", run.Err.Trim());
        Assert.Equal(models.Rgb.Images.Count + 1, File.ReadAllLines(Path.Combine(output, "codes.csv")).Length);
    }

    [Fact]
    public void A_codes_file_with_two_rows_for_one_path_decodes_the_first_and_names_the_second()
    {
        var scored = Path.Combine(temp, "scored");
        Assert.Equal(0, Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", models.Rgb.ImagesFolder, "--out", scored).ExitCode);
        var lines = File.ReadAllLines(Path.Combine(scored, "codes.csv"));
        var codes = Path.Combine(temp, "codes.csv");
        File.WriteAllLines(codes, [lines[0], lines[1], lines[2], lines[1]]);
        var run = Cli.Run("decode", "--model", models.Rgb.OnnxFolder, "--codes", codes, "--out", Path.Combine(temp, "decoded"));
        Assert.Equal(1, run.ExitCode);
        var path = lines[1].Split(',')[0];
        Assert.Equal($"failed: {path}: {codes} line 4: the same path as line 2; only that first row is decoded", run.Err.Trim());
    }

    [Fact]
    public void File_names_with_a_line_break_or_a_carriage_return_are_written_quoted_and_decoded_back()
    {
        var images = CopyImages("images");
        var files = Directory.GetFiles(images, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        File.Move(files[0], Path.Combine(images, "two\nlines, \"quoted\".png"));
        File.Move(files[1], Path.Combine(images, "carriage\rreturn.png"));
        var scored = Path.Combine(temp, "scored");
        var score = Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", images, "--out", scored);
        Assert.True(score.ExitCode == 0, score.Err);
        var decoded = Path.Combine(temp, "decoded");
        var decode = Cli.Run("decode", "--model", models.Rgb.OnnxFolder, "--codes", Path.Combine(scored, "codes.csv"), "--out", decoded);
        Assert.True(decode.ExitCode == 0, decode.Err);
        Assert.Equal(Listing(Path.Combine(scored, "reconstructions")), Listing(Path.Combine(decoded, "reconstructions")));
        Assert.Contains(Listing(Path.Combine(decoded, "reconstructions")), n => n.Contains('\n'));
        Assert.Contains(Listing(Path.Combine(decoded, "reconstructions")), n => n.Contains('\r'));
    }

    [Theory]
    [InlineData("--batch-size", "abc", "--batch-size: cannot parse 'abc' as an integer")]
    [InlineData("--threads", "1.5", "--threads: cannot parse '1.5' as an integer")]
    [InlineData("--batch-size", "0", "--batch-size 0: must be at least 1")]
    [InlineData("--batch-size", "2147483647", "--batch-size 2147483647: a batch of that many images would")]
    [InlineData("--threads", "2147483647", "--threads 2147483647: at most 1024 threads")]
    [InlineData("--graphs", "onnx", "--graphs onnx: must be transformer or sessions")]
    public void Option_values_that_do_not_parse_or_are_out_of_range_are_one_line(string option, string value, string message)
    {
        var output = Path.Combine(temp, "out");
        AssertOneLine(Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", models.Rgb.ImagesFolder, "--out", output, option, value), 2, message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void An_output_that_is_a_file_is_refused()
    {
        var file = Path.Combine(temp, "out");
        File.WriteAllText(file, "a file");
        AssertOneLine(Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", models.Rgb.ImagesFolder, "--out", file), 2, file, "is an existing file");
        Assert.Equal("a file", File.ReadAllText(file));
    }

    [Fact]
    public void A_full_disk_while_writing_scores_and_decoded_images_is_one_line_naming_the_file()
    {
        using var disk = new Tmpfs("256k");
        var scored = Path.Combine(temp, "scored");
        Assert.Equal(0, Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", models.Rgb.ImagesFolder, "--out", scored).ExitCode);
        disk.Fill(leaveFree: 8 * 1024);

        var score = CliProcess.Run("score", "--model", models.Rgb.OnnxFolder, "--images", models.Rgb.ImagesFolder, "--out", disk.File("scores"));
        AssertOneLine(score, 2, "no space left on device while writing " + disk.File("scores"));
        var decode = CliProcess.Run("decode", "--model", models.Rgb.OnnxFolder, "--codes", Path.Combine(scored, "codes.csv"), "--out", disk.File("decoded"));
        AssertOneLine(decode, 2, "no space left on device while writing " + disk.File("decoded"));
        Assert.Equal(["filler.bin"], Directory.GetFileSystemEntries(disk.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_while_scoring_removes_the_unfinished_output(string signal, int exitCode)
    {
        var images = ManyImages();
        var output = Path.Combine(temp, "out");
        using var process = Start("score", "--model", models.Rgb.OnnxFolder, "--images", images, "--out", output, "--batch-size", "1");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        WaitForTemporary(process);
        BadFiles.Signal(process, signal);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "the process did not stop");
        Assert.Equal(exitCode, process.ExitCode);
        Assert.Contains($"stopped by SIG{signal}; removed 1 unfinished output", await stderr);
        Assert.Empty(BadFiles.Temporaries(temp));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void What_kill_9_leaves_is_removed_by_the_next_run()
    {
        var images = ManyImages();
        using (var process = Start("score", "--model", models.Rgb.OnnxFolder, "--images", images, "--out", Path.Combine(temp, "killed"), "--batch-size", "1"))
        {
            _ = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            WaitForTemporary(process);
            BadFiles.Signal(process, "KILL");
            process.WaitForExit();
        }
        Assert.Single(BadFiles.Temporaries(temp));
        var next = Cli.Run("score", "--model", models.Rgb.OnnxFolder, "--images", models.Rgb.ImagesFolder, "--out", Path.Combine(temp, "next"));
        Assert.Equal(0, next.ExitCode);
        Assert.Empty(BadFiles.Temporaries(temp));
    }

    /// <summary>Enough images that scoring one at a time lasts seconds.</summary>
    string ManyImages()
    {
        var folder = Directory.CreateDirectory(Path.Combine(temp, "many")).FullName;
        var source = Directory.GetFiles(models.Rgb.ImagesFolder, "*.png", SearchOption.AllDirectories)[0];
        for (int i = 0; i < 3000; i++) File.Copy(source, Path.Combine(folder, $"{i:D5}.png"));
        return folder;
    }

    void WaitForTemporary(Process process)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (BadFiles.Temporaries(temp).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, "scoring never started writing");
            Thread.Sleep(10);
        }
    }

    static Process Start(params string[] args) => ChildProcess.Start("vqvae-score.dll", args);
}
