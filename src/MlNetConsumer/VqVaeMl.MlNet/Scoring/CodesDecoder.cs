using System.Diagnostics;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Rebuilds reconstructions/ from a codes.csv with the decoder graph alone, a row at a time. A row that
/// does not fit the model (grid size, a code past the codebook, an unsafe path) is recorded and skipped.
/// </summary>
public sealed class CodesDecoder(VqVaeScoringModel scoring, VqVaeModelFolder model)
{
    public RunSummary Decode(TextReader codesCsv, string fileName, string outputFolder, Action<string, string?>? onRow = null)
    {
        var c = model.Config;
        var engine = scoring.CreateCodesEngine<VqVaeDecoded>();
        var decoded = new VqVaeDecoded();
        var failures = new List<ScoreFailure>();
        int found = 0, done = 0;
        var clock = Stopwatch.StartNew();

        // Two rows for one path would write one reconstruction twice: the second is refused by name.
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, error) in CodesCsv.Read(codesCsv, fileName))
        {
            found++;
            var path = row?.Path ?? error!.Path;
            var problem = error?.Reason ?? Check(row!);
            if (problem is null && !firstLine.TryAdd(row!.Path, row.Line))
                problem = $"{fileName} line {row.Line}: the same path as line {firstLine[row.Path]}; only that first row is decoded";
            if (problem is null)
            {
                engine.Predict(new VqVaeCodesInput { Codes = row!.Codes }, ref decoded);
                FolderScorer.WritePng(outputFolder, row.Path, decoded.Reconstruction, c.Channels, c.Height, c.Width);
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
