namespace VqVaeMl.Common;

/// <summary>
/// One process at a time per output: <c>.NAME.claim</c> beside the output, created exclusively
/// (<see cref="FileMode.CreateNew"/>: an atomic create on local disks and on NFS v3 and later, where
/// POSIX locks are not to be trusted) and holding the claimant's <see cref="ProcessIdentity"/>. A second
/// process given the same output refuses in one line instead of writing into it at the same time. The
/// claim is removed when the output is written, when the process exits and on SIGINT/SIGTERM; a claim
/// whose process (on this host) is gone is stale and taken over.
/// </summary>
public static class OutputClaim
{
    static readonly List<string> held = [];

    static OutputClaim() => AppDomain.CurrentDomain.ProcessExit += (_, _) => ReleaseAll();

    /// <summary>The claim file of <paramref name="output"/> (a full path).</summary>
    public static string PathFor(string output) =>
        Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.claim");

    /// <summary>Claims <paramref name="output"/> (a full path) for this process, or throws <see cref="OutputRefusedException"/>.</summary>
    public static void Take(string output, string outputOption = "--out")
    {
        var claim = PathFor(output);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (TryCreate(claim, output, outputOption)) return;
            var text = ReadOrNull(claim);
            if (text is null) continue;   // released in the meantime
            ProcessIdentity.TryParse(text.Trim(), out var holder);
            if (holder == ProcessIdentity.Current) return;
            if (holder.Pid > 0 && holder.IsGone) { RemoveStale(claim, text); continue; }
            throw new OutputRefusedException(holder.Pid > 0
                ? $"{outputOption} {output} is being written by process {holder.Pid} on {holder.Host} ({claim}); wait for it to finish, or delete that file if the process is gone"
                : $"{outputOption} {output} is being written by another process ({claim}); wait for it to finish, or delete that file if no process is writing it");
        }
        throw new OutputRefusedException($"{outputOption} {output}: other processes keep claiming it ({claim}); run one at a time");
    }

    /// <summary>Removes this process's claim on <paramref name="output"/>, if it holds one.</summary>
    public static void Release(string output)
    {
        var claim = PathFor(output);
        lock (held)
        {
            if (!held.Remove(claim)) return;
            TryDelete(claim);
        }
    }

    /// <summary>Removes every claim this process holds (at exit, or on a signal).</summary>
    public static void ReleaseAll()
    {
        lock (held)
        {
            foreach (var claim in held) TryDelete(claim);
            held.Clear();
        }
    }

    static bool TryCreate(string claim, string output, string outputOption)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(claim)!);
            lock (held)
            {
                using (var stream = new FileStream(claim, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream))
                    writer.WriteLine(ProcessIdentity.Current.Tag);
                held.Add(claim);
            }
            return true;
        }
        catch (IOException) when (File.Exists(claim)) { return false; }
        catch (UnauthorizedAccessException e)
        {
            throw new OutputRefusedException($"{outputOption} {output}: its folder cannot be written to ({e.Message})");
        }
    }

    /// <summary>
    /// Moves the stale claim aside under a name of this process's own, so of two processes taking it over
    /// only one succeeds; if what was moved is not the stale claim read before (a live one made since),
    /// it goes back.
    /// </summary>
    static void RemoveStale(string claim, string staleText)
    {
        var aside = $"{claim}.stale-{ProcessIdentity.Current.Tag}";
        try { File.Move(claim, aside, overwrite: true); }
        catch (FileNotFoundException) { return; }
        if (ReadOrNull(aside) == staleText) TryDelete(aside);
        else
        {
            try { File.Move(aside, claim, overwrite: false); }
            catch (IOException) { TryDelete(aside); }
        }
    }

    static string? ReadOrNull(string path)
    {
        try { return File.ReadAllText(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
