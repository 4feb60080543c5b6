using System.Text.RegularExpressions;

namespace VqVae;

/// <summary>
/// Removes the <c>.NAME.tmp-PID</c> files and folders <see cref="AtomicFile"/> leaves when its process is
/// killed without a chance to clean up (kill -9, power loss): those whose process is no longer alive.
/// </summary>
public static partial class StaleTemporaries
{
    [GeneratedRegex(@"^\..+\.tmp-(\d+)$")]
    private static partial Regex TemporaryName();

    /// <summary>Removes the stale temporaries directly in <paramref name="folder"/>; returns how many.</summary>
    public static int Remove(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            var match = TemporaryName().Match(Path.GetFileName(entry));
            if (!match.Success || !int.TryParse(match.Groups[1].Value, out var pid) || IsAlive(pid)) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's or already gone: leaving it is harmless.
            }
        }
        return removed;
    }

    static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
