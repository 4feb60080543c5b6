namespace VqVaeMl.Common;

/// <summary>
/// Writes files and folders under a temporary name and renames them into place, so a crash or a
/// kill never leaves a half-written output where a finished one is expected.
/// </summary>
public static class AtomicFile
{
    /// <summary>Held while a finished temporary is renamed into place; a signal handler takes it before removing temporaries.</summary>
    public static readonly object Gate = new();

    static readonly List<string> temporaries = new();
    // Set once a signal handler has taken the list of temporaries to remove: none may be created after.
    static bool stopping;

    public static void Write(string path, Action<Stream> write)
    {
        var temp = Begin(path, directory: false);
        try
        {
            using (var stream = new FileStream(temp, FileMode.Truncate, FileAccess.Write)) { write(stream); stream.Flush(flushToDisk: true); }
            lock (Gate) File.Move(temp, path, overwrite: true);
        }
        finally { End(temp); }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    /// <summary>Fills a fresh temporary folder, then swaps it in for <paramref name="path"/> (replacing an older one).</summary>
    public static void WriteDirectory(string path, Action<string> fill)
    {
        path = Path.GetFullPath(path.TrimEnd(Path.DirectorySeparatorChar));
        var temp = Begin(path, directory: true);
        var old = SetAsideName(path);
        try
        {
            fill(temp);
            lock (Gate)
            {
                if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
                // Two renames: the old folder stays whole until the new one is complete and in place.
                if (Directory.Exists(path)) Directory.Move(path, old);
                Directory.Move(temp, path);
            }
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }
        finally { End(temp); }
    }

    /// <summary>Where <see cref="WriteDirectory"/> sets the old folder aside while the new one moves in.</summary>
    public static string SetAsideName(string path) => path + ".old";

    // Folders written in place that a signal removes unless what makes them worth keeping has appeared.
    static readonly List<(string Folder, string KeepWhenExists)> unfinished = new();

    /// <summary>
    /// Counts a folder written in place (a training run) as unfinished: a signal removes it with the
    /// temporaries unless <paramref name="keepWhenExists"/> (its first checkpoint) is there by then.
    /// Renames into place happen under <see cref="Gate"/>, which the signal handler holds, so the check
    /// sees a checkpoint either wholly there or not at all.
    /// </summary>
    public static void TrackUnfinished(string folder, string keepWhenExists)
    {
        lock (temporaries) unfinished.Add((Path.GetFullPath(folder), Path.GetFullPath(keepWhenExists)));
    }

    /// <summary>Ends <see cref="TrackUnfinished"/>: the folder is no longer removed by a signal.</summary>
    public static void Keep(string folder)
    {
        lock (temporaries) unfinished.RemoveAll(u => u.Folder == Path.GetFullPath(folder));
    }

    /// <summary>The temporary most recently started and not yet finished, if any (for messages).</summary>
    public static string? NewestTemporary { get { lock (temporaries) return temporaries.LastOrDefault(); } }

    /// <summary>The output a temporary name stands for: <c>DIR/.NAME.tmp-HOST-PID/...</c> → <c>DIR/NAME/...</c>.</summary>
    public static string FinalPathOf(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"(^|/)\.([^/]+)\.tmp-[^/]+-\d+(?=/|$)", "$1$2");

    /// <summary>Deletes every temporary this process has started and not finished (on SIGINT/SIGTERM); returns how many.</summary>
    public static int RemoveTemporaries()
    {
        string[] open;
        lock (temporaries)
        {
            stopping = true;
            open = temporaries.Concat(unfinished.Where(u => !Path.Exists(u.KeepWhenExists)).Select(u => u.Folder)).ToArray();
        }
        int removed = 0;
        foreach (var temp in open)
        {
            // A writer may still be adding files: try a few times.
            for (int attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
                    else if (File.Exists(temp)) File.Delete(temp);
                    else break;
                    removed++;
                    break;
                }
                catch (IOException) { Thread.Sleep(20); }
            }
        }
        return removed;
    }

    /// <summary>
    /// Creates the temporary and registers it in one step under the list's lock, so a signal handler
    /// either sees it (and removes it) or stops it from being created; a temporary created between the
    /// handler's look and its exit would be left behind.
    /// </summary>
    static string Begin(string path, bool directory)
    {
        var temp = TempNameFor(path);
        lock (temporaries)
        {
            if (!stopping)
            {
                if (directory) Directory.CreateDirectory(temp);
                else File.Create(temp).Dispose();
                temporaries.Add(temp);
                return temp;
            }
        }
        // The process is being stopped by a signal: its handler ends it; nothing more is written.
        Thread.Sleep(Timeout.Infinite);
        throw new OperationCanceledException("stopped by a signal");
    }

    static void End(string temp)
    {
        try
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            else if (File.Exists(temp)) File.Delete(temp);
        }
        finally { lock (temporaries) temporaries.Remove(temp); }
    }

    /// <summary>
    /// Undoes the one moment <see cref="WriteDirectory"/> can be killed in with no folder at
    /// <paramref name="path"/>: between moving the old one aside and moving the new one in.
    /// </summary>
    public static void RecoverDirectory(string path)
    {
        path = Path.GetFullPath(path.TrimEnd(Path.DirectorySeparatorChar));
        var old = SetAsideName(path);
        if (!Directory.Exists(path) && Directory.Exists(old)) Directory.Move(old, path);
    }

    /// <summary>
    /// <c>DIR/.NAME.tmp-HOST-PID</c>: one per process, so processes writing the same output at once never share
    /// a temporary, and named by host too, so <see cref="StaleTemporaries"/> on one host of a cluster never
    /// takes another host's live temporary for a dead one.
    /// </summary>
    public static string TempNameFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp-{ProcessIdentity.Current.Tag}");
}
