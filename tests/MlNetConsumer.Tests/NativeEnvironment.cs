using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VqVae.MlNetConsumer.Tests;

/// <summary>
/// Settings libtorch reads from the native environment once, when it first runs — so they are set by a
/// module initializer, before any test touches TorchSharp, with libc setenv (on Linux .NET's
/// Environment.SetEnvironmentVariable does not reach native code). A value the user set wins.
/// - OMP_WAIT_POLICY=PASSIVE: OpenMP threads sleep between steps instead of spinning on a shared machine.
/// - ONEDNN_MAX_CPU_ISA=AVX2: oneDNN's AVX-512 convolution backward kernels in libtorch-cpu 2.10 now and
///   then return NaN on the project's AMD EPYC machines (found by the exporter's tests), which would make
///   the fixture's training diverge.
/// </summary>
static class NativeEnvironment
{
    [ModuleInitializer]
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux()) return;
        setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        setenv("ONEDNN_MAX_CPU_ISA", "AVX2", 0);
    }

    [DllImport("libc")]
    static extern int setenv(string name, string value, int overwrite);
}
