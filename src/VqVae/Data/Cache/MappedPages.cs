using System.Runtime.InteropServices;

namespace VqVae.Data.Cache;

/// <summary>madvise(MADV_DONTNEED) on a read-only file mapping: unmaps its pages from the process, keeps the file's data.</summary>
static unsafe partial class MappedPages
{
    const int DontNeed = 4; // MADV_DONTNEED on Linux

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);

    /// <summary>A no-op off Linux; a failure is ignored (the pages then simply stay resident).</summary>
    public static void Release(byte* start, ulong length)
    {
        if (OperatingSystem.IsLinux() && length > 0) Madvise(start, (nuint)length, DontNeed);
    }
}
