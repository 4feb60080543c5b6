using System.Runtime.InteropServices;

namespace VqVae.Training;

/// <summary>
/// Native settings libtorch reads once, when it is first loaded — so they must be in the process's
/// native environment before the first torch call. .NET's Environment.SetEnvironmentVariable does not
/// reach native code on Linux, hence libc's setenv. A value the user set is kept.
/// </summary>
public static partial class LibtorchEnvironment
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    public static void Prepare()
    {
        if (!OperatingSystem.IsLinux()) return;
        // libtorch's OpenMP threads spin while they wait; PASSIVE lets them sleep instead
        // (measured side by side in docs/BENCHMARKS.md, "Levers").
        Set("OMP_WAIT_POLICY", "PASSIVE");
        // oneDNN's AVX-512 convolution backward kernels in libtorch-cpu 2.10 return NaN or wrong input
        // gradients now and then on AVX-512 AMD EPYC machines (seen on this project's), which makes the
        // conv model diverge within a few steps. Capped at AVX2 they are right, and training repeats.
        Set("ONEDNN_MAX_CPU_ISA", "AVX2");
        // Every training step allocates and frees activations of up to hundreds of MB; in 4 KiB pages
        // the page faults took 40% of the process's time (kernel time) here. libtorch asks for
        // transparent huge pages on large blocks when this is set: 5× faster Pokémon steps, same results.
        Set("THP_MEM_ALLOC_ENABLE", "1");
    }

    static void Set(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) != null) return;
        SetEnv(name, value, 0);
        Environment.SetEnvironmentVariable(name, value);
    }
}
