using System.Text.RegularExpressions;

namespace VqVaeMl.Common;

/// <summary>
/// Removes the <c>.NAME.tmp-HOST-PID</c> files and folders <see cref="AtomicFile"/> leaves when its process
/// is killed without a chance to clean up (kill -9, power loss): those of this host whose process is no
/// longer alive. Another host's temporaries are left alone: its process may be running (a cluster job on
/// a shared file system), and this host cannot tell.
/// </summary>
public static partial class StaleTemporaries
{
    [GeneratedRegex(@"^\..+\.tmp-(?<owner>.+-\d+)$")]
    private static partial Regex TemporaryName();

    /// <summary>True for a temporary's file name whose process (on this host) is gone.</summary>
    public static bool IsAbandoned(string fileName)
    {
        var match = TemporaryName().Match(fileName);
        return match.Success && ProcessIdentity.TryParse(match.Groups["owner"].Value, out var owner) && owner.IsGone;
    }

    /// <summary>Removes the stale temporaries directly in <paramref name="folder"/>; returns how many.</summary>
    public static int Remove(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            if (!IsAbandoned(Path.GetFileName(entry))) continue;
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
}
