using VqVae.TestSupport;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// Two `score` runs started at the same moment with the same --out, each on its own images: one writes the
/// output, the other refuses in one line, and the output is wholly the first one's, never a mix.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ConcurrentScoreTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-concurrent-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public async Task Two_scores_to_one_output_at_once_give_one_whole_output_and_one_refusal()
    {
        var c = models.Gray;
        // The same images under other names: a mix of the two runs would show both sets of names.
        var other = Directory.CreateDirectory(Path.Combine(temp, "other")).FullName;
        foreach (var image in c.Images) File.Copy(Path.Combine(c.ImagesFolder, image), Path.Combine(other, "other-" + Path.GetFileName(image)));
        var output = Path.Combine(temp, "scored");
        string[][] runs = [[c.ImagesFolder], [other]];

        var processes = runs.Select(images => ChildProcess.Start("vqvae-score.dll",
            ["score", "--model", c.TrainingDir, "--images", images[0], "--out", output, "--threads", "1"])).ToList();
        var results = new List<(int Exit, string Out, string Err, string Images)>();
        for (int i = 0; i < processes.Count; i++)
        {
            using var process = processes[i];
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "a score run did not finish");
            results.Add((process.ExitCode, await stdout, await stderr, runs[i][0]));
        }

        var winner = Assert.Single(results, r => r.Exit == 0);
        var loser = Assert.Single(results, r => r.Exit != 0);
        var line = Assert.Single(loser.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(line.StartsWith($"error: --out {output} is being written by process ") || line.StartsWith($"error: --out {output} already exists; pass --force"), line);

        var summary = RunSummary.FromJson(File.ReadAllText(Path.Combine(output, FolderScorer.SummaryFile)));
        Assert.Equal(winner.Images, summary.Input);
        var expected = Directory.GetFiles(winner.Images, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(winner.Images, p));
        using var codes = new StreamReader(Path.Combine(output, "codes.csv"));
        var names = CodesCsv.Read(codes, "codes.csv").Select(r => r.Row!.Path);
        Assert.Equal(expected.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(c.Images.Count, Directory.GetFiles(Path.Combine(output, "reconstructions"), "*", SearchOption.AllDirectories).Length);
        Assert.Equal(["other", Path.GetFileName(output)], Directory.GetFileSystemEntries(temp).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
