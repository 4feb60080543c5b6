using System.Diagnostics;

namespace VqVae.TestSupport;

/// <summary>Runs a system command (mount, umount) and returns its exit code and what it printed on stderr.</summary>
public static class SystemCommand
{
    public static (int Code, string Error) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, error.Trim());
    }
}
