using System.Text.RegularExpressions;

namespace VqVaeMl.Common;

/// <summary>Recognises a write that failed because the device is full (ENOSPC) and names the file it was writing.</summary>
public static partial class DiskFull
{
    const int Enospc = 28;

    public static bool Is(Exception e) =>
        e is IOException io && (io.HResult == Enospc || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase))
        || e.InnerException is { } inner && Is(inner);

    /// <summary>"no space left on device while writing FILE", FILE being the output the tool was writing (not its temporary name).</summary>
    public static string Describe(Exception e)
    {
        var match = QuotedPath().Match(e.Message);
        var file = match.Success ? match.Groups[1].Value : AtomicFile.NewestTemporary;
        return file is null
            ? "no space left on device while writing the output"
            : $"no space left on device while writing {AtomicFile.FinalPathOf(file)}";
    }

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex QuotedPath();
}
