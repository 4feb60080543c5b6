using VqVae.Checkpoints;

namespace VqVae.Trainer;

/// <summary>
/// A fresh training folder (a VQ-VAE run or a prior) holds no model until its first best/ checkpoint is in
/// place. Until then a signal removes it with the temporaries, and a failure (divergence, a full disk)
/// removes it at <see cref="End"/>, so no folder under the final name looks like a run without being one.
/// </summary>
public static class RunFolderUntilModel
{
    /// <summary>Creates the folder (replacing an earlier one of the same tool's, already checked) and marks it as <paramref name="tool"/>'s.</summary>
    public static void Start(string outDir, bool replaceExisting, string tool)
    {
        if (replaceExisting) Directory.Delete(outDir, recursive: true);
        Directory.CreateDirectory(outDir);
        AtomicFile.TrackUnfinished(outDir, Path.Combine(outDir, Checkpoint.BestFolder));
        OutputFolder.Mark(outDir, tool);
    }

    /// <summary>
    /// Keeps the folder when it holds a best/ checkpoint; otherwise removes it and returns where its metrics
    /// file (the diagnosis of a diverged first epoch) was kept, in the temp folder, or null when it had none.
    /// </summary>
    public static string? End(string outDir, string metricsFile)
    {
        AtomicFile.Keep(outDir);
        if (Directory.Exists(Path.Combine(outDir, Checkpoint.BestFolder))) return null;
        string? kept = null;
        var metrics = Path.Combine(outDir, metricsFile);
        if (File.Exists(metrics))
        {
            kept = Path.Combine(Path.GetTempPath(), $"vqvae-train-unfinished-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{metricsFile}");
            try { File.Copy(metrics, kept, overwrite: true); }
            catch (IOException) { kept = null; }
        }
        try { Directory.Delete(outDir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return kept;
    }
}
