using System.Text.Json;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// The output folder of one finished `score --shard I/N` run: its summary.json says which model, which
/// images folder and which shard it was, and that it finished. Opening it refuses anything else.
/// </summary>
public sealed record ShardOutput(string Folder, RunSummary Summary, Shard Shard)
{
    public string CodesPath => Path.Combine(Folder, FolderScorer.CodesFile);
    public string MetricsPath => Path.Combine(Folder, FolderScorer.MetricsFile);
    public string ReconstructionsPath => Path.Combine(Folder, FolderScorer.ReconstructionsFolder);

    /// <summary>Throws InvalidDataException naming the folder and the problem.</summary>
    public static ShardOutput Open(string folder)
    {
        var full = Path.GetFullPath(folder.TrimEnd(Path.DirectorySeparatorChar));
        if (!Directory.Exists(full))
        {
            // A score that was killed leaves its temporary folder beside the one it would have made.
            var parent = Path.GetDirectoryName(full)!;
            var unfinished = Directory.Exists(parent) ? Directory.GetDirectories(parent, $".{Path.GetFileName(full)}.tmp-*").FirstOrDefault() : null;
            throw new InvalidDataException(unfinished is null
                ? $"{full}: shard folder not found"
                : $"{full}: shard folder not found, but {unfinished} is: that shard did not finish");
        }
        var summaryPath = Path.Combine(full, FolderScorer.SummaryFile);
        if (!File.Exists(summaryPath))
            throw new InvalidDataException($"{full}: no {FolderScorer.SummaryFile}: not the output of a finished score run");
        RunSummary summary;
        try { summary = RunSummary.FromJson(File.ReadAllText(summaryPath)); }
        catch (JsonException e) { throw new InvalidDataException($"{summaryPath}: not a readable summary ({VqVaeModelFolder.FirstLine(e.Message)})"); }
        if (summary.Command != "score")
            throw new InvalidDataException($"{full}: the output of a {summary.Command} run, not of score");
        if (!summary.Finished)
            throw new InvalidDataException($"{full}: shard {summary.Shard} did not finish ({FolderScorer.SummaryFile} says finished: false)");
        if (summary.ModelSha256.Length == 0)
            throw new InvalidDataException($"{summaryPath}: no model_sha256 (written by an older vqvae-score): score this shard again");
        Shard shard;
        try { shard = Shard.Parse(summary.Shard); }
        catch (FormatException) { throw new InvalidDataException($"{summaryPath}: shard '{summary.Shard}' is not I/N"); }
        var output = new ShardOutput(full, summary, shard);
        foreach (var file in new[] { output.CodesPath, output.MetricsPath })
            if (!File.Exists(file)) throw new InvalidDataException($"{full}: {Path.GetFileName(file)} missing");
        return output;
    }
}
