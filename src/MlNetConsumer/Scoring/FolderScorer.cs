using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using VqVae.Imaging;

namespace VqVae.MlNetConsumer.Scoring;

/// <summary>
/// Streams image files through a fitted pipeline one at a time and writes codes.csv, metrics.csv and
/// reconstructions/ into a folder. Only the current image is in memory; a file that fails the decode
/// check or the pipeline is recorded and the run goes on.
/// </summary>
public sealed class FolderScorer(VqVaeScoringModel scoring, VqVaeModelFolder model)
{
    public const string CodesFile = "codes.csv";
    public const string MetricsFile = "metrics.csv";
    public const string ReconstructionsFolder = "reconstructions";
    public const string GridFile = "reconstruction-grid.png";
    /// <summary>The grid shows this many images drawn evenly at random from the folder, inputs and reconstructions in alternate rows (as the seed's).</summary>
    public const int GridImages = 50;

    /// <summary>Scores <paramref name="images"/> into <paramref name="outputFolder"/>; <paramref name="onFile"/> hears of each file (null reason = scored).</summary>
    public RunSummary Score(IEnumerable<ImageFile> images, string outputFolder, Action<ImageFile, string?>? onFile = null)
    {
        var c = model.Config;
        var engine = scoring.CreateImageEngine<VqVaePrediction>();
        var prediction = new VqVaePrediction();
        var failures = new List<ScoreFailure>();
        int found = 0, scored = 0;
        double mseSum = 0, psnrSum = 0;
        var clock = Stopwatch.StartNew();
        // Bounded: only the grid's images are kept, whatever the size of the folder.
        var grid = new GridSample(GridImages, seed: 0);

        using var codes = new StreamWriter(Path.Combine(outputFolder, CodesFile));
        using var metrics = new StreamWriter(Path.Combine(outputFolder, MetricsFile));
        CodesCsv.WriteHeader(codes, model.CodeCount);
        metrics.Write("path,mse,psnr\n");

        foreach (var image in images)
        {
            found++;
            var problem = ImageFileCheck.Problem(image.FullPath);
            if (problem is null)
            {
                try
                {
                    // Predict(input, ref output) refills the same arrays: no allocation per image for the vectors.
                    engine.Predict(new VqVaeImageInput { ImagePath = image.FullPath }, ref prediction);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or IOException)
                {
                    problem = $"the pipeline failed: {VqVaeModelFolder.FirstLine(e.Message)}";
                }
            }
            if (problem is not null)
            {
                failures.Add(new ScoreFailure(image.RelativePath, problem));
                onFile?.Invoke(image, problem);
                continue;
            }

            var mse = ImageMetrics.Mse(prediction.Pixels, prediction.Reconstruction);
            var psnr = ImageMetrics.Psnr(mse);
            mseSum += mse;
            psnrSum += psnr;
            scored++;
            CodesCsv.WriteRow(codes, image.RelativePath, model.LatentHeight, model.LatentWidth, prediction.Codes);
            metrics.Write($"{CodesCsv.Quote(image.RelativePath)},{mse.ToString("R", CultureInfo.InvariantCulture)},{psnr.ToString("R", CultureInfo.InvariantCulture)}\n");
            WritePng(outputFolder, image.RelativePath, prediction.Reconstruction, c.Channels, c.Height, c.Width);
            grid.Offer(image.RelativePath, prediction.Pixels, prediction.Reconstruction);
            onFile?.Invoke(image, null);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        if (scored > 0)
        {
            var (inputs, outputs) = grid.InPathOrder();
            ImageGrid.SaveInterleaved(Path.Combine(outputFolder, GridFile), inputs, outputs,
                c.Channels, c.Height, c.Width, pairsPerRow: 10, scale: Math.Max(1, 64 / c.Height));
        }
        return new RunSummary
        {
            Command = "score",
            Model = model.Folder,
            Found = found,
            Scored = scored,
            Failures = failures,
            MeanMse = scored > 0 ? mseSum / scored : null,
            MeanPsnr = scored > 0 ? psnrSum / scored : null,
            Seconds = seconds,
            ImagesPerSecond = seconds > 0 ? scored / seconds : 0,
            ExecutionProvider = scoring.ExecutionProvider,
        };
    }

    /// <summary>reconstructions/&lt;relative path&gt;(.png), sub-folders created as needed.</summary>
    internal static void WritePng(string outputFolder, string relativePath, ReadOnlySpan<float> reconstruction, int channels, int height, int width)
    {
        var path = Path.Combine(outputFolder, ReconstructionsFolder, ReconstructionPng.RelativePathFor(relativePath));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, ReconstructionPng.Encode(reconstruction, channels, height, width));
    }
}
