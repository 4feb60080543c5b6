using System.CommandLine;
using System.Globalization;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Cli;

/// <summary>`merge --out DIR [--force] SHARD_DIR...`: the N shards of one `score --shard I/N` run, put back together.</summary>
internal static class MergeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = ScoreCli.RequiredPath("--out", "output folder: what one unsharded score run writes");
        var force = ScoreCli.Force();
        var shards = new Argument<string[]>("SHARD_DIR")
        {
            Description = "the output folders of score --shard 0/N … N−1/N, in any order",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("merge", "Merge the outputs of the shards of one score run into what a single run writes.")
        {
            output, force, shards,
        };
        command.SetAction(parse => ScoreCli.Guarded(stderr, () => Run(
            parse.GetValue(output)!, parse.GetValue(force), parse.GetValue(shards)!, stdout)));
        return command;
    }

    static int Run(string outputDir, bool force, string[] shardDirs, TextWriter stdout)
    {
        // Every refusal comes before anything is written.
        var output = Path.GetFullPath(outputDir.TrimEnd(Path.DirectorySeparatorChar));
        var shardPaths = shardDirs.Select(d => Path.GetFullPath(d.TrimEnd(Path.DirectorySeparatorChar))).ToList();
        foreach (var shard in shardPaths)
            if (IsWithin(shard, output) || IsWithin(output, shard))
                throw new UsageException($"--out {output} and the shard folder {shard} overlap: the merge would replace its own input");
        // The shards first: a killed shard is told by the temporary it left, which the output check would clear away.
        var merger = ShardMerger.Open(shardDirs);
        output = OutputFolder.Check(output, force, ScoreCli.Tool, shardPaths.Select(s => ("shard folder", s)));

        RunSummary summary = null!;
        OutputFolder.Write(output, ScoreCli.Tool, temp => summary = merger.Merge(temp));

        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Format(inv, "merged {0} shards: scored {1} of {2} images ({3} failed); slowest shard {4:F1}s, {5:F1} images/s",
            merger.Shards.Count, summary.Scored, summary.Found, summary.Failed, summary.Seconds, summary.ImagesPerSecond));
        ScoreCli.WriteMeans(stdout, summary);
        stdout.WriteLine($"wrote {output}");
        return summary.Failed > 0 ? ScoreCli.SomeFailed : ScoreCli.Ok;
    }

    static bool IsWithin(string path, string folder) =>
        (path + Path.DirectorySeparatorChar).StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
