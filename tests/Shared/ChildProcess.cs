using System.Diagnostics;

namespace VqVae.TestSupport;

/// <summary>Runs a CLI of the solution as a real process (the dll is copied beside the tests), so exit codes, signals and
/// what native libraries print are the real ones.</summary>
public static class ChildProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <param name="addressSpaceBytes">The child's address-space limit (util-linux prlimit --as), so an allocation past it fails as on a machine that small; null: none.</param>
    public static Process Start(string dll, IEnumerable<string> args, string? workingDirectory = null, long? addressSpaceBytes = null)
    {
        // A test run started in the background (`cmd &` in a script) inherits SIGINT ignored, as POSIX
        // has it, and so would the child; it stands for a program a person can Ctrl-C, so it starts with
        // the default handling (coreutils env).
        var info = new ProcessStartInfo(addressSpaceBytes is null ? "env" : "prlimit")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        if (addressSpaceBytes is long limit)
        {
            info.ArgumentList.Add($"--as={limit}");
            info.ArgumentList.Add("env");
        }
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        return Process.Start(info)!;
    }

    public static Result Run(string dll, params string[] args) => RunIn(null, dll, args);

    /// <param name="workingDirectory">Where relative paths in <paramref name="args"/> start (default: beside the tests).</param>
    public static Result RunIn(string? workingDirectory, string dll, IEnumerable<string> args, long? addressSpaceBytes = null)
    {
        using var process = Start(dll, args, workingDirectory, addressSpaceBytes);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{dll} {string.Join(' ', args)}"); }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
