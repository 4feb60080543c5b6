using System.Collections.Concurrent;
using VqVae.TestSupport;
using Xunit.Abstractions;

namespace VqVae.OutputSafety.Tests;

/// <summary>
/// One test over every command of vqvae-train, vqvae-export and vqvae-score: it walks their command trees, so a
/// command added later without an entry in <see cref="OutputCommands"/> fails it by name, and runs each
/// output-writing command as a real process against the <see cref="Cases"/>. Each must refuse in one line on
/// stderr naming its output option, exit 2, and leave every file and folder it was given byte for byte as it was.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class OutputSafetyTests(TrainedModels models, ITestOutputHelper log)
{
    [Fact]
    public void Every_command_that_writes_refuses_to_write_over_an_input_a_users_folder_or_another_commands_output()
    {
        var commands = CommandTree.Commands();
        var undeclared = commands.Keys.Where(c => !OutputCommands.Writers.ContainsKey(c) && !OutputCommands.WriteNothing.ContainsKey(c)).ToList();
        Assert.True(undeclared.Count == 0,
            $"no entry in OutputCommands for {string.Join(", ", undeclared)}: declare a valid invocation and its inputs, or why it writes nothing");
        var gone = OutputCommands.Writers.Keys.Concat(OutputCommands.WriteNothing.Keys).Where(c => !commands.ContainsKey(c)).ToList();
        Assert.True(gone.Count == 0, $"OutputCommands names commands the CLIs no longer have: {string.Join(", ", gone)}");
        foreach (var (name, reason) in OutputCommands.WriteNothing)
            Assert.True(!CommandTree.OutputLikeOptions(commands[name]).Any(),
                $"{name} is declared to write nothing ({reason}) but has {string.Join(", ", CommandTree.OutputLikeOptions(commands[name]))}");
        foreach (var (name, writers) in OutputCommands.Writers)
            foreach (var writer in writers)
                Assert.True(commands[name].Options.Any(o => o.Name == writer.OutOption), $"{name} has no {writer.OutOption}");

        var root = Directory.CreateTempSubdirectory("vqvae-output-safety-").FullName;
        try
        {
            var world = Path.Combine(root, "world");
            World.Build(world, models.Gray);
            var cases = OutputCommands.Writers.SelectMany(w => w.Value.SelectMany((writer, i) => Cases.For(w.Key, writer, first: i == 0))).ToList();
            var failures = new ConcurrentBag<string>();
            int next = 0;
            // A refusal comes before any work, so the processes are short: a few at a time keep both cores busy.
            Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 3 }, c =>
            {
                var folder = Path.Combine(root, $"case-{Interlocked.Increment(ref next)}");
                if (Refusal(c, world, folder) is { } failure) failures.Add(failure);
                Directory.Delete(folder, recursive: true);
            });
            log.WriteLine($"{cases.Count} cases over {OutputCommands.Writers.Count} commands that write");
            Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} cases not refused safely:\n{string.Join("\n", failures.Order())}");
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    /// <summary>Runs one case in a copy of the world; null when it was refused in one line and nothing changed.</summary>
    static string? Refusal(Case c, string world, string folder)
    {
        Copy(world, folder);
        c.Prepare(folder);
        var before = FolderManifest.Of(folder);
        var run = ChildProcess.RunIn(folder, c.Dll, c.Args);
        var changed = FolderManifest.Difference(before, FolderManifest.Of(folder));
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var problems = new List<string>();
        if (run.ExitCode != 2) problems.Add($"exit {run.ExitCode}, not 2");
        if (lines.Length != 1) problems.Add($"{lines.Length} lines on stderr, not 1");
        else if (!lines[0].Contains(c.OutOption) || lines[0].Contains("Exception")) problems.Add("the line does not name " + c.OutOption);
        if (changed.Length > 0) problems.Add("files changed:\n" + changed);
        return problems.Count == 0 ? null
            : $"{c}: {string.Join("; ", problems)}\n  args: {string.Join(' ', c.Args)}\n  stderr: {run.Stderr.Trim()}";
    }

    static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.EnumerateFiles(from, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
