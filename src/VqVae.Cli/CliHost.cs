using System.Runtime.InteropServices;

namespace VqVae.Cli;

/// <summary>
/// What every CLI's entry point runs its command inside: SIGINT and SIGTERM remove the unfinished
/// temporaries and the output claims and exit 130 / 143; a full disk becomes one line naming the file; any other unexpected
/// exception becomes one line, with the stack trace written to a log file instead of the terminal.
/// </summary>
public static class CliHost
{
    public const int DiskFullExit = 2;
    public const int UnexpectedExit = 70;

    public static int Run(string tool, Func<int> main)
    {
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, tool, "SIGINT", 130));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, tool, "SIGTERM", 143));
        try { return main(); }
        catch (Exception e) { return Report(tool, e, Console.Error); }
    }

    /// <summary>The one line for an exception no command handled; returns the exit code.</summary>
    public static int Report(string tool, Exception e, TextWriter stderr)
    {
        if (DiskFull.Is(e))
        {
            stderr.WriteLine($"{tool}: error: {DiskFull.Describe(e)}");
            return DiskFullExit;
        }
        var log = Path.Combine(Path.GetTempPath(), $"{tool}-error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        try { File.WriteAllText(log, $"{DateTime.UtcNow:O} {tool} {string.Join(' ', Environment.GetCommandLineArgs())}\n{e}\n"); }
        catch (Exception) { log = "(no log: the temp folder is not writable)"; }
        stderr.WriteLine($"{tool}: unexpected error: {e.Message.ReplaceLineEndings(" ")}, details in {log}");
        return UnexpectedExit;
    }

    static void Stop(PosixSignalContext context, string tool, string signal, int exitCode)
    {
        context.Cancel = true;
        // Holding AtomicFile's gate: no rename is half done, and none starts after the temporaries are gone.
        lock (AtomicFile.Gate)
        {
            int removed = AtomicFile.RemoveTemporaries();
            // _exit below skips ProcessExit, where claims are otherwise released.
            OutputClaim.ReleaseAll();
            Console.Error.WriteLine($"{tool}: stopped by {signal}" + (removed > 0 ? $"; removed {removed} unfinished output(s)" : ""));
            Console.Error.Flush();
            // Not Environment.Exit: with libtorch busy on the main thread, its static destructors crashed
            // the exit (SIGSEGV, exit code 139). Everything worth keeping is already on disk.
            if (OperatingSystem.IsWindows()) Environment.Exit(exitCode);
            ExitImmediately(exitCode);
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    static extern void ExitImmediately(int status);
}
