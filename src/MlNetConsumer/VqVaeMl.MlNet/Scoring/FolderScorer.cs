using System.Diagnostics;
using System.Globalization;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Streams image files through an <see cref="IImageScorer"/> a batch at a time and writes codes.csv,
/// metrics.csv and reconstructions/ into a folder. Only the current batch (and the reconstructions waiting for
/// the PNG writer, three groups at most) is in memory; a file that fails
/// the decode check or the pipeline is recorded and the run goes on. Rows, reports and callbacks follow
/// the order of <c>images</c>, whatever the batch size.
/// </summary>
public sealed class FolderScorer(IImageScorer scorer, VqVaeModelFolder model)
{
    public const string CodesFile = "codes.csv";
    public const string MetricsFile = "metrics.csv";
    public const string ReconstructionsFolder = "reconstructions";
    public const string GridFile = "reconstruction-grid.png";
    public const string SummaryFile = "summary.json";
    /// <summary>The grid shows this many images drawn evenly at random from the folder, inputs and reconstructions in alternate rows (as the reference post's).</summary>
    public const int GridImages = 50;

    static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    const int CsvBuffer = 1 << 16;

    /// <summary>One image at a time through the fitted pipeline's PredictionEngine (ML.NET's row path).</summary>
    public FolderScorer(VqVaeScoringModel scoring, VqVaeModelFolder model) : this(new RowImageScorer(scoring, model), model) { }

    /// <summary>Scores <paramref name="images"/> into <paramref name="outputFolder"/>; <paramref name="onFile"/> hears of each file (null reason = scored).</summary>
    public RunSummary Score(IEnumerable<ImageFile> images, string outputFolder, Action<ImageFile, string?>? onFile = null)
    {
        var c = model.Config;
        var failures = new List<ScoreFailure>();
        int found = 0, scored = 0;
        double mseSum = 0, psnrSum = 0;
        var clock = Stopwatch.StartNew();
        // Bounded: only the grid's images are kept, whatever the size of the folder.
        var grid = new GridSample(GridImages, seed: 0);

        // UTF-8 without a byte-order mark, as StreamWriter writes by default, through a larger buffer: a
        // write call per 64 KiB rather than per 4 KiB.
        using var codes = new StreamWriter(Path.Combine(outputFolder, CodesFile), append: false, Utf8, CsvBuffer);
        using var metrics = new StreamWriter(Path.Combine(outputFolder, MetricsFile), append: false, Utf8, CsvBuffer);
        CodesCsv.WriteHeader(codes, model.LatentHeight * model.LatentWidth, model.CodesPerPosition);
        metrics.Write("path,mse,psnr\n");
        // Handed to the PNG writer a batch at a time (64 images on the row path), two groups queued at most:
        // enough to keep it busy, bounded whatever the folder.
        using var pngs = new ReconstructionWriter(outputFolder, c.Channels, c.Height, c.Width, imagesPerGroup: Math.Max(scorer.BatchSize, 64));

        foreach (var chunk in images.Chunk(scorer.BatchSize))
        {
            found += chunk.Length;
            var batch = scorer.Score(chunk.Select(f => f.FullPath).ToList());
            for (int i = 0; i < chunk.Length; i++)
            {
                var image = chunk[i];
                if (batch.Problem(i) is { } problem)
                {
                    failures.Add(new ScoreFailure(image.RelativePath, problem));
                    onFile?.Invoke(image, problem);
                    continue;
                }
                var pixels = batch.Pixels(i);
                var reconstruction = batch.Reconstruction(i);
                var mse = ImageMetrics.Mse(pixels, reconstruction);
                var psnr = ImageMetrics.Psnr(mse);
                mseSum += mse;
                psnrSum += psnr;
                scored++;
                CodesCsv.WriteRow(codes, image.RelativePath, model.LatentHeight, model.LatentWidth, batch.Codes(i));
                metrics.Write($"{CodesCsv.Quote(image.RelativePath)},{mse.ToString("R", CultureInfo.InvariantCulture)},{psnr.ToString("R", CultureInfo.InvariantCulture)}\n");
                pngs.Write(image.RelativePath, reconstruction);
                grid.Offer(image.RelativePath, pixels, reconstruction);
                onFile?.Invoke(image, null);
            }
        }

        pngs.Complete();
        var seconds = clock.Elapsed.TotalSeconds;
        if (scored > 0)
        {
            var (inputs, outputs) = grid.InPathOrder();
            SaveGrid(outputFolder, inputs, outputs, c);
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
            ExecutionProvider = scorer.ExecutionProvider,
        };
    }

    /// <summary>reconstruction-grid.png: inputs and their reconstructions in alternate rows of 10, about 64 pixels high each.</summary>
    internal static void SaveGrid(string outputFolder, float[] inputs, float[] outputs, ModelConfig c) =>
        ImageGrid.SaveInterleaved(Path.Combine(outputFolder, GridFile), inputs, outputs,
            c.Channels, c.Height, c.Width, pairsPerRow: 10, scale: Math.Max(1, 64 / c.Height));

    /// <summary>
    /// reconstructions/&lt;relative path&gt;(.png), sub-folders created as needed (<paramref name="folders"/>: those
    /// made so far, so a folder of many images costs one directory call rather than one per image).
    /// </summary>
    internal static void WritePng(string outputFolder, string relativePath, ReadOnlySpan<float> reconstruction, int channels, int height, int width,
        HashSet<string>? folders = null)
    {
        var path = Path.Combine(outputFolder, ReconstructionsFolder, ReconstructionPng.RelativePathFor(relativePath));
        var folder = Path.GetDirectoryName(path)!;
        if (folders is null || folders.Add(folder)) Directory.CreateDirectory(folder);
        using var data = ReconstructionPng.EncodeData(reconstruction, channels, height, width);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        file.Write(data.AsSpan());
    }
}
