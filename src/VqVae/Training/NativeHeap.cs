using System.Runtime.InteropServices;

namespace VqVae.Training;

/// <summary>
/// Hands the C heap's free memory back to the system between epochs. libtorch allocates each step's
/// activations (hundreds of MB) through malloc; glibc keeps the freed blocks in its heap, still
/// resident. In a Pokémon run the RSS between epochs climbed from 430 to 880 MB over five epochs
/// while the live tensors (37) and malloc's bytes in use (61 MB) stayed flat: retained, not leaked.
/// Trimmed after each epoch it stays at 230 MB, and each epoch's peak no longer grows
/// (docs/BENCHMARKS.md).
/// </summary>
public static partial class NativeHeap
{
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    /// <summary>Set to 0 to keep the C heap as it is, for measuring the difference (scripts/bench-heap-trim.sh).</summary>
    public const string Switch = "VQVAE_HEAP_TRIM";

    /// <summary>Releases free heap pages (glibc's malloc_trim); a no-op off Linux.</summary>
    public static void Trim()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(Switch) != "0") MallocTrim(0);
    }
}
