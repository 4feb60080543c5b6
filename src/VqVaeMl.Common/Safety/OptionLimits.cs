using System.Globalization;

namespace VqVaeMl.Common;

/// <summary>
/// Upper bounds of numeric options, derived from what a value implies, checked before any work: a value
/// whose memory would exceed the machine's, or a thread count no machine runs, is refused in one line
/// naming the option, instead of overflowing into a .NET or native exception (or the kernel's OOM killer).
/// </summary>
public static class OptionLimits
{
    /// <summary>More threads than this only wait for each other, and each reserves its own stack.</summary>
    public const int MaxThreads = 1024;

    /// <summary>
    /// The most weights one learnt part of a model may hold (a codebook, K·D per level; a prior's layers):
    /// 256 Mi floats, a gigabyte for that part alone. Refused before anything is allocated.
    /// </summary>
    public const long MaxWeightsPerPart = 256L * 1024 * 1024;

    /// <summary>The memory this process may use: the machine's, or its container's limit.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Refuses a thread count above <see cref="MaxThreads"/>.</summary>
    public static void Threads(string option, int? threads)
    {
        if (threads > MaxThreads)
            throw new OptionOutOfRangeException($"{option} {threads}: at most {MaxThreads} threads (this machine has {Environment.ProcessorCount} cores)");
    }

    /// <summary>
    /// Refuses <paramref name="count"/> units of <paramref name="bytesPerUnit"/> each when together they
    /// need more than <see cref="AvailableBytes"/>; <paramref name="what"/> names what the memory holds.
    /// </summary>
    /// <param name="elementsPerUnit">the length one unit adds to the largest array it is held in (0: no single array)</param>
    public static void Memory(string option, long count, double bytesPerUnit, string what, long elementsPerUnit = 0, long? availableBytes = null)
    {
        if (elementsPerUnit > 0 && (double)count * elementsPerUnit > Array.MaxLength)
            throw new OptionOutOfRangeException(
                $"{option} {count}: {what} would not fit in one array (at most {Array.MaxLength / elementsPerUnit})");
        long available = availableBytes ?? AvailableBytes;
        double needed = count * bytesPerUnit;
        if (needed <= available) return;
        long most = (long)Math.Floor(available / bytesPerUnit);
        throw new OptionOutOfRangeException(
            $"{option} {count}: {what} would need {Bytes(needed)}, more than the {Bytes(available)} of memory here (at most {most})");
    }

    /// <summary>A byte count in the largest binary unit that keeps it at least 1, e.g. "3.2 TiB".</summary>
    public static string Bytes(double bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1) { bytes /= 1024; unit++; }
        return unit == 0 ? $"{bytes:F0} bytes" : string.Format(CultureInfo.InvariantCulture, "{0:F1} {1}", bytes, units[unit]);
    }
}

/// <summary>A numeric option beyond what the machine can do (exit code 2, one line).</summary>
public sealed class OptionOutOfRangeException(string message) : ArgumentException(message);
