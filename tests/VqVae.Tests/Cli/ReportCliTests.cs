using SkiaSharp;
using VqVae.Checkpoints;
using VqVae.Prior;
using VqVae.TestSupport;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Tests.Cli;

/// <summary>`report --reconstructions`: one picture of validation images and each run's reconstructions of them.</summary>
public class ReportCliTests
{
    const string Trainer = "vqvae-train.dll";
    const int Size = 28, Scale = 2, Padding = 2, Columns = ReconstructionComparison.DefaultImages;

    static string TrainTiny(string dir, string name, string seed, string data = "mnist")
    {
        var run = Path.Combine(dir, name);
        var train = ChildProcess.Run(Trainer, "train", "--preset", data, "--data", data == "mnist" ? TestData.MnistDir : TestData.PokemonDir,
            "--out", run, "--epochs", "1", "--max-steps-per-epoch", "3", "--hidden-size", "16", "--codebook-size", "8", "--seed", seed,
            "--device", "cpu", "--threads", "1");
        Assert.True(train.ExitCode == 0, train.Stderr + train.Stdout);
        return run;
    }

    /// <summary>Cell (row, column) of the picture as 28×28 bytes (grey is drawn into every colour channel).</summary>
    static byte[] Cell(SKBitmap picture, int row, int column)
    {
        var cell = new byte[Size * Size];
        int left = Padding + column * (Size * Scale + Padding), top = Padding + row * (Size * Scale + Padding);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                cell[y * Size + x] = picture.GetPixel(left + x * Scale, top + y * Scale).Red;
        return cell;
    }

    // As the picture draws a pixel.
    static byte ToByte(float v) => (byte)Math.Clamp(v * 255f + 0.5f, 0f, 255f);

    [Fact]
    public void The_picture_shows_validation_images_then_each_runs_reconstructions_of_them()
    {
        using var dir = new TempFolder();
        var a = TrainTiny(dir.Path, "a", "1");
        var b = TrainTiny(dir.Path, "b", "2");
        var picture = Path.Combine(dir.Path, "side-by-side.png");
        var report = ChildProcess.Run(Trainer, "report", a, b, "--reconstructions", picture);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains($"→ {picture} (rows: validation images, a, b)", report.Stdout);

        using var png = SKBitmap.Decode(picture);
        Assert.Equal((Columns * (Size * Scale + Padding) + Padding, 3 * (Size * Scale + Padding) + Padding), (png.Width, png.Height));

        // Every cell of the first row is a validation image, and each run's row is its best checkpoint's
        // reconstruction of the image above it.
        var (_, validation) = TrainingData.Load(CodeMaps.DataOptions(Checkpoint.ReadInfo(Checkpoint.Resolve(a))));
        var images = Enumerable.Range(0, validation.Count)
            .Select(i => validation.Pixels.AsSpan(i * Size * Size, Size * Size).ToArray()).ToList();
        var models = new[] { a, b }.Select(run => Checkpoint.Load(Checkpoint.Resolve(run), CPU).Model).ToList();
        try
        {
            for (int column = 0; column < Columns; column++)
            {
                var original = Cell(png, 0, column);
                var image = images.First(pixels => pixels.Select(ToByte).SequenceEqual(original));
                for (int run = 0; run < models.Count; run++)
                {
                    using var scope = NewDisposeScope();
                    using var _ = no_grad();
                    models[run].eval();
                    var reconstruction = models[run].forward(tensor(image, [1, 1, Size, Size])).Reconstruction.data<float>().ToArray();
                    var drawn = Cell(png, 1 + run, column);
                    Assert.All(Enumerable.Range(0, drawn.Length), i => Assert.InRange(drawn[i] - ToByte(reconstruction[i]), -1, 1));
                }
            }
            Assert.NotEqual(Cell(png, 1, 0), Cell(png, 2, 0));
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }

    [Fact]
    public void Runs_of_other_images_are_refused_in_one_line_and_no_picture_is_written()
    {
        using var dir = new TempFolder();
        var digits = TrainTiny(dir.Path, "digits", "1");
        var sprites = TrainTiny(dir.Path, "sprites", "1", data: "pokemon");
        var picture = Path.Combine(dir.Path, "side-by-side.png");
        var result = ChildProcess.Run(Trainer, "report", digits, sprites, "--reconstructions", picture);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {Checkpoint.Resolve(sprites)}: its images are 3×40×40, {Checkpoint.Resolve(digits)}'s 1×28×28: one picture compares runs of the same images",
            Assert.Single(result.Stderr.TrimEnd().Split('\n')));
        Assert.Equal("", result.Stdout);
        Assert.False(File.Exists(picture));

        // A run whose data folder is gone: named in one line (the run records the folder it trained on).
        var moved = Path.Combine(dir.Path, "moved");
        var config = Path.Combine(sprites, Checkpoint.BestFolder, Checkpoint.ConfigFile);
        File.WriteAllText(config, File.ReadAllText(config).Replace(System.Text.Json.JsonSerializer.Serialize(TestData.PokemonDir), System.Text.Json.JsonSerializer.Serialize(moved)));
        var gone = ChildProcess.Run(Trainer, "report", sprites, "--reconstructions", picture);
        Assert.Equal(2, gone.ExitCode);
        Assert.Equal($"error: {Checkpoint.Resolve(sprites)}: the run's data folder {moved} is gone (the picture shows its validation images)",
            Assert.Single(gone.Stderr.TrimEnd().Split('\n')));
        Assert.Equal("", gone.Stdout);
        Assert.False(File.Exists(picture));

        var intoRun = ChildProcess.Run(Trainer, "report", digits, "--reconstructions", Path.Combine(digits, "side-by-side.png"));
        Assert.Equal(2, intoRun.ExitCode);
        Assert.Single(intoRun.Stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("error: --reconstructions", intoRun.Stderr);
        Assert.Equal("", intoRun.Stdout);
        Assert.False(File.Exists(Path.Combine(digits, "side-by-side.png")));
    }
}
