namespace VqVae;

/// <summary>
/// Writes files and folders under a temporary name and renames them into place, so a crash or a
/// kill never leaves a half-written output where a finished one is expected.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var temp = TempNameFor(path);
        try
        {
            using (var stream = File.Create(temp)) { write(stream); stream.Flush(flushToDisk: true); }
            File.Move(temp, path, overwrite: true);
        }
        finally { if (File.Exists(temp)) File.Delete(temp); }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    /// <summary>Fills a fresh temporary folder, then swaps it in for <paramref name="path"/> (replacing an older one).</summary>
    public static void WriteDirectory(string path, Action<string> fill)
    {
        path = Path.GetFullPath(path.TrimEnd(Path.DirectorySeparatorChar));
        var temp = TempNameFor(path);
        var old = path + ".old";
        Directory.CreateDirectory(temp);
        try
        {
            fill(temp);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            // Two renames: the old folder stays whole until the new one is complete and in place.
            if (Directory.Exists(path)) Directory.Move(path, old);
            Directory.Move(temp, path);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }
        finally { if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true); }
    }

    /// <summary>
    /// Undoes the one moment <see cref="WriteDirectory"/> can be killed in with no folder at
    /// <paramref name="path"/>: between moving the old one aside and moving the new one in.
    /// </summary>
    public static void RecoverDirectory(string path)
    {
        path = Path.GetFullPath(path.TrimEnd(Path.DirectorySeparatorChar));
        var old = path + ".old";
        if (!Directory.Exists(path) && Directory.Exists(old)) Directory.Move(old, path);
    }

    static string TempNameFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}");
}
