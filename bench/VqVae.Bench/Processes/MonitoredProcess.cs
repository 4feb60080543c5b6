using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace VqVae.Bench;

/// <summary>
/// What a child run did: exit code, output, wall time, and its resident memory — the peak over the
/// whole run, and the largest sampled RSS within each window between two marker lines it printed
/// (for the trainer: one window per epoch, then the tail after the last epoch), and the seconds from
/// the start at which each marker line came.
/// </summary>
public sealed record ChildRun(int ExitCode, string Stdout, string Stderr, double WallSeconds, long PeakRssBytes, IReadOnlyList<long> WindowPeakRssBytes,
    IReadOnlyList<double> MarkerSeconds);

/// <summary>
/// Runs one of the solution's CLIs (`dotnet &lt;dll&gt;`, the dll beside the bench) as a child process and
/// samples /proc/&lt;pid&gt;/status every 50 ms while it runs. A child has its own peak RSS, untouched
/// by the bench's memory, and is the process a user would run.
/// </summary>
public static class MonitoredProcess
{
    static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(50);

    /// <param name="environment">Variables set for the child only (an empty value: set, but empty).</param>
    public static ChildRun Run(string dll, IReadOnlyList<string> args, string workingDirectory, Regex? marker = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, dll);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found beside the bench (build bench/VqVae.Bench, which references it)", path);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(path);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;

        var gate = new object();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var windows = new List<long> { 0 };
        var markerSeconds = new List<double>();
        long peak = 0;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start dotnet {dll}");
        int pid = process.Id;
        void Sample()
        {
            if (ProcStatus.Read(pid) is not var (rss, hwm)) return;
            lock (gate)
            {
                windows[^1] = Math.Max(windows[^1], rss);
                peak = Math.Max(peak, Math.Max(rss, hwm));
            }
        }
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (gate) stdout.AppendLine(e.Data);
            if (marker is not null && marker.IsMatch(e.Data))
            {
                Sample();
                lock (gate)
                {
                    windows.Add(0);
                    markerSeconds.Add(clock.Elapsed.TotalSeconds);
                }
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        while (!process.WaitForExit(SampleEvery)) Sample();
        process.WaitForExit(); // drains the redirected streams
        double seconds = clock.Elapsed.TotalSeconds;
        lock (gate) return new ChildRun(process.ExitCode, stdout.ToString(), stderr.ToString(), seconds, peak, windows.ToList(), markerSeconds.ToList());
    }

    /// <summary>Throws with the child's own words when it failed.</summary>
    public static ChildRun EnsureSucceeded(this ChildRun run, string what)
    {
        if (run.ExitCode != 0)
            throw new InvalidOperationException($"{what} exited with code {run.ExitCode}:\n{Tail(run.Stderr)}\n{Tail(run.Stdout)}");
        return run;
    }

    static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(15));
}
