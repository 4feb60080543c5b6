namespace VqVae.TestSupport;

/// <summary>
/// A training run and its exported graphs as an earlier VqVaeMl wrote them (tests/fixtures/legacy): what
/// must still load, resume, export and score after a change.
/// </summary>
public static class LegacyFixture
{
    /// <summary>The committed run folder (best/, last/, metrics.csv, onnx/); copy it before writing.</summary>
    public static string Run => Path.Combine(RepoRoot(), "tests", "fixtures", "legacy", "mnist-plus-tiny");

    /// <summary>A copy of the run in <paramref name="folder"/>, with its data path pointed at <paramref name="dataDir"/> when given.</summary>
    public static string CopyTo(string folder, string? dataDir = null)
    {
        var copy = Path.Combine(folder, "legacy-run");
        foreach (var file in Directory.GetFiles(Run, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy, Path.GetRelativePath(Run, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        // The run recorded where its data was; a resumed copy reads it from where it is now.
        if (dataDir is not null)
            foreach (var config in Directory.GetFiles(copy, "config.json", SearchOption.AllDirectories))
                File.WriteAllText(config, File.ReadAllText(config).Replace("\"data/mnist\"", System.Text.Json.JsonSerializer.Serialize(dataDir)));
        return copy;
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VqVaeMl.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no VqVaeMl.sln above {AppContext.BaseDirectory}");
    }
}
