namespace VqVaeMl.Common;

/// <summary>
/// A process named by its host and PID, as written into the names of temporaries and claims
/// (<c>HOST-PID</c>). Jobs of a cluster array run on several hosts over one shared file system, where a
/// PID means nothing to another host: only a process on this host can be seen to be gone, so only this
/// host's are ever judged dead.
/// </summary>
public readonly record struct ProcessIdentity(string Host, int Pid)
{
    public static ProcessIdentity Current { get; } = new(SafeHostName(Environment.MachineName), Environment.ProcessId);

    /// <summary>"HOST-PID".</summary>
    public string Tag => $"{Host}-{Pid}";

    /// <summary>Reads "HOST-PID" (the host may hold dashes; the PID follows the last one).</summary>
    public static bool TryParse(string tag, out ProcessIdentity identity)
    {
        identity = default;
        int dash = tag.LastIndexOf('-');
        if (dash < 1 || !int.TryParse(tag.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out var pid)) return false;
        identity = new ProcessIdentity(tag[..dash], pid);
        return true;
    }

    /// <summary>True only for a process of this host that no longer runs; another host's is never judged.</summary>
    public bool IsGone => Host == Current.Host && !IsAlive(Pid);

    static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>A host name fit for a file name: letters, digits, dots, dashes and underscores.</summary>
    static string SafeHostName(string name)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return safe.Length > 0 ? safe : "localhost";
    }
}
