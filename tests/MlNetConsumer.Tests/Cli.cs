using VqVaeMl.MlNet.Cli;

namespace VqVaeMl.MlNet.Tests;

/// <summary>Runs vqvae-score in-process and captures what it prints.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static Result Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = ScoreCli.Run(args, stdout, stderr);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>Runs vqvae-score as a real process: what the native libraries print reaches its real streams only.</summary>
internal static class CliProcess
{
    public static Cli.Result Run(params string[] args)
    {
        var run = VqVae.TestSupport.ChildProcess.Run("vqvae-score.dll", args);
        return new Cli.Result(run.ExitCode, run.Stdout, run.Stderr);
    }
}
