using System.Diagnostics;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Rebuilds reconstructions/ from a codes.csv with the decoder graph alone, a row at a time. A row that
/// does not fit the model (grid size, a code past the codebook, an unsafe path) is recorded and skipped.
/// Given the original images, it also writes metrics.csv (path,mse,psnr,ssim against each row's original, as
/// `score` writes it) and their means into the summary.
/// </summary>
public sealed class CodesDecoder(VqVaeScoringModel scoring, VqVaeModelFolder model)
{
    public RunSummary Decode(TextReader codesCsv, string fileName, string outputFolder, Action<string, string?>? onRow = null,
        OriginalImages? originals = null)
    {
        var c = model.Config;
        var engine = scoring.CreateCodesEngine<VqVaeDecoded>();
        var decoded = new VqVaeDecoded();
        var failures = new List<ScoreFailure>();
        int found = 0, done = 0;
        var clock = Stopwatch.StartNew();
        var original = new float[model.PixelCount];
        var sums = new MetricSums();
        using var metrics = originals is null ? null : new StreamWriter(Path.Combine(outputFolder, FolderScorer.MetricsFile));
        metrics?.Write($"path,{ImageMetrics.Columns}\n");

        // Two rows for one path would write one reconstruction twice: the second is refused by name.
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, error) in CodesCsv.Read(codesCsv, fileName))
        {
            found++;
            var path = row?.Path ?? error!.Path;
            var problem = error?.Reason ?? Check(row!);
            if (problem is null && !firstLine.TryAdd(row!.Path, row.Line))
                problem = $"{fileName} line {row.Line}: the same path as line {firstLine[row.Path]}; only that first row is decoded";
            if (problem is null && originals is not null) problem = originals.Load(row!.Path, original);
            if (problem is null)
            {
                engine.Predict(new VqVaeCodesInput { Codes = row!.Codes }, ref decoded);
                FolderScorer.WritePng(outputFolder, row.Path, decoded.Reconstruction, c.Channels, c.Height, c.Width);
                if (metrics is not null)
                {
                    var mse = ImageMetrics.Mse(original, decoded.Reconstruction);
                    var psnr = ImageMetrics.Psnr(mse);
                    var ssim = ImageMetrics.Ssim(original, decoded.Reconstruction, c);
                    sums.Add(mse, psnr, ssim);
                    metrics.Write($"{CodesCsv.Quote(row.Path)},{ImageMetrics.CsvFields(mse, psnr, ssim)}\n");
                }
                done++;
            }
            else failures.Add(new ScoreFailure(path, problem));
            onRow?.Invoke(path, problem);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        return new RunSummary
        {
            Command = "decode",
            Model = model.Folder,
            Input = fileName,
            Found = found,
            Scored = done,
            Failures = failures,
            MeanMse = sums.MeanMse,
            MeanPsnr = sums.MeanPsnr,
            MeanSsim = sums.MeanSsim,
            Seconds = seconds,
            ImagesPerSecond = seconds > 0 ? done / seconds : 0,
            ExecutionProvider = scoring.ExecutionProvider,
        };
    }

    string? Check(CodesRow row)
    {
        if (row.Height != model.LatentHeight || row.Width != model.LatentWidth)
            return $"a {row.Height}×{row.Width} code grid, but the model's is {model.LatentHeight}×{model.LatentWidth}";
        if (row.CodesPerPosition != model.CodesPerPosition)
            return $"{row.CodesPerPosition} code(s) per position, but the model's quantizer makes {model.CodesPerPosition}";
        var k = model.Config.CodebookSize;
        var bad = Array.FindIndex(row.Codes, code => code < 0 || code >= k);
        if (bad >= 0) return $"code {bad} is {row.Codes[bad]}, past the codebook's {k} entries";
        if (!IsSafeRelativePath(row.Path)) return "path must be relative and stay inside the output folder";
        return null;
    }

    /// <summary>A codes.csv is input too: its paths must not write outside reconstructions/.</summary>
    static bool IsSafeRelativePath(string path) =>
        path.Length > 0 && !Path.IsPathRooted(path) && !path.Contains('\\')
        && path.Split('/').All(part => part is not ("" or "." or ".."));
}
