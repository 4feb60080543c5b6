using System.CommandLine;

namespace VqVae.Trainer;

/// <summary>The `vqvae-train` command line: fetch-data and train.</summary>
public static class TrainerCli
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("VqVaeMl trainer: fetch the data sets and train the VQ-VAE with TorchSharp.");
        root.Subcommands.Add(FetchDataCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        return root.Parse(args).Invoke();
    }

    /// <summary>One line on stderr naming what is wrong, and the exit code for bad input.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
