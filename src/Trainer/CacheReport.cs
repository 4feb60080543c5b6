using Spectre.Console;
using VqVae.Data.Cache;

namespace VqVae.Trainer;

/// <summary>One line per image cache: reused as it was, or built (how many images decoded, and why).</summary>
public static class CacheReport
{
    public static void Print(IEnumerable<CacheOutcome> outcomes)
    {
        foreach (var o in outcomes)
        {
            if (o.Built) AnsiConsole.MarkupLineInterpolated($"[grey]image cache {o.Path}: built, {o.Decoded} images ({o.Reason})[/]");
            else AnsiConsole.MarkupLineInterpolated($"[grey]image cache {o.Path}: reused ({o.Reason})[/]");
        }
    }
}
