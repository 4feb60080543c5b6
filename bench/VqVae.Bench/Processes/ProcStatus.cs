namespace VqVae.Bench;

/// <summary>Resident memory of a running process from Linux's /proc/&lt;pid&gt;/status.</summary>
public static class ProcStatus
{
    /// <summary>VmRSS (now) and VmHWM (peak so far) in bytes; null once the process is gone or on other systems.</summary>
    public static (long Rss, long Peak)? Read(int pid)
    {
        string[] lines;
        try { lines = File.ReadAllLines($"/proc/{pid}/status"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        long? rss = Field(lines, "VmRSS:"), peak = Field(lines, "VmHWM:");
        // A process that has exited but is not yet reaped has a status file without these lines.
        return rss is null || peak is null ? null : (rss.Value, peak.Value);
    }

    static long? Field(string[] lines, string name)
    {
        var line = lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        if (line is null) return null;
        // "VmRSS:\t  123456 kB"
        var parts = line[name.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(parts[0]) * (parts.Length > 1 && parts[1] == "kB" ? 1024 : 1);
    }
}
