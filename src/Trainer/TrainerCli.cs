using System.CommandLine;
using Spectre.Console;
using VqVae.Cli;

namespace VqVae.Trainer;

/// <summary>The `vqvae-train` command line: fetch-data, train and the commands around a run.</summary>
public static class TrainerCli
{
    public static int Run(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Logs and pipes get plain lines at their natural width, not colour codes wrapped at 80 columns.
            AnsiConsole.Profile.Width = 200;
            AnsiConsole.Profile.Capabilities.Ansi = false;
        }
        var parsed = Root().Parse(args);
        if (parsed.Errors.Count > 0) return Fail(CliMessages.Plain(parsed.Errors[0].Message));
        // Exceptions reach CliHost, which prints one line instead of a stack trace.
        return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>The whole command tree (the tests walk it to find every command that writes an output).</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("VqVaeMl trainer: fetch the data sets and train the VQ-VAE with TorchSharp.");
        root.Subcommands.Add(FetchDataCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ImportPyTorchCommand.Create());
        root.Subcommands.Add(FloorCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(PriorCommand.Create());
        root.Subcommands.Add(ClassifierCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        return root;
    }

    public const string Tool = "vqvae-train";

    /// <summary>Exit code of a run stopped because its loss stopped being a finite number.</summary>
    public const int Diverged = 3;

    /// <summary>One line on stderr naming what is wrong, and the exit code for bad input.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
