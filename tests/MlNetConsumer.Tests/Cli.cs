using VqVae.MlNetConsumer.Cli;

namespace VqVae.MlNetConsumer.Tests;

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
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vqvae-score.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"vqvae-score {string.Join(' ', args)}");
        }
        return new Cli.Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
