using Spectre.Console;
using VqVae.Data.Cache;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>
/// One line for a run's image cache: where it is, how big, and for each file whether it was reused or
/// built (how many images decoded, and why); and, the first time a data folder's cache is made, one line
/// saying that an earlier version's cache inside the data folder can be deleted.
/// </summary>
public static class CacheReport
{
    public static void Print(CachedTrainingData data)
    {
        var folder = data.Folder;
        var files = string.Join("; ", data.Outcomes.Select(o => o.Built
            ? $"{Path.GetFileName(o.Path)} built, {o.Decoded} images ({o.Reason})"
            : $"{Path.GetFileName(o.Path)} reused ({o.Reason})"));
        AnsiConsole.MarkupLineInterpolated($"[grey]image cache {folder.Path} ({CacheFolders.Size(folder.Path) / 1e6:F1} MB): {files}[/]");
        if (folder.Created && CacheLocation.LegacyFolder(folder.DataFolder) is { } legacy)
            AnsiConsole.MarkupLineInterpolated($"[grey]note: {legacy} is an earlier version's image cache, no longer read or written; it can be deleted[/]");
    }
}
