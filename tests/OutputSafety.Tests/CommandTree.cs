using System.CommandLine;
using VqVae.Exporter.Cli;
using VqVae.Trainer;
using VqVaeMl.MlNet.Cli;

namespace VqVae.OutputSafety.Tests;

/// <summary>The three CLIs' command trees, walked: every command that does something, by its full name.</summary>
internal static class CommandTree
{
    public static IReadOnlyDictionary<string, Command> Commands()
    {
        var commands = new Dictionary<string, Command>();
        Walk("vqvae-train", TrainerCli.Root(), commands);
        Walk("vqvae-export", ExportCli.Root(TextWriter.Null, TextWriter.Null), commands);
        Walk("vqvae-score", ScoreCli.Root(TextWriter.Null, TextWriter.Null), commands);
        return commands;
    }

    static void Walk(string name, Command command, Dictionary<string, Command> commands)
    {
        if (command.Action is not null) commands.Add(name, command);
        foreach (var sub in command.Subcommands) Walk($"{name} {sub.Name}", sub, commands);
    }

    /// <summary>
    /// Options whose name says they name something written: --out…, --output…, a --…-dir. Not --cache-dir: the
    /// folder where the tool keeps its own caches of a data folder, which holds no output a user asked for.
    /// </summary>
    public static IEnumerable<string> OutputLikeOptions(Command command) =>
        command.Options.Select(o => o.Name).Where(n => n.StartsWith("--out") || n.EndsWith("-dir") && n != "--cache-dir");
}
