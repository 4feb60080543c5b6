using System.CommandLine;
using Spectre.Console;

namespace VqVae.Trainer;

/// <summary>The `vqvae-train` command line: fetch-data and train.</summary>
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
        var root = new RootCommand("VqVaeMl trainer: fetch the data sets and train the VQ-VAE with TorchSharp.");
        root.Subcommands.Add(FetchDataCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(FloorCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(PriorCommand.Create());
        root.Subcommands.Add(ClassifierCommand.Create());
        return root.Parse(args).Invoke();
    }

    /// <summary>One line on stderr naming what is wrong, and the exit code for bad input.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
