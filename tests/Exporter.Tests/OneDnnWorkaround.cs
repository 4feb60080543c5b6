using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VqVae.Exporter.Tests;

/// <summary>
/// oneDNN's AVX-512 convolution backward-data kernels in libtorch-cpu 2.10 return NaN or wrong input
/// gradients now and then on AMD EPYC (AVX-512) machines such as the project's, which makes small conv
/// models diverge within a few Adam steps. Capping oneDNN at AVX2 avoids them. The variable must be in
/// the native environment before oneDNN first runs — hence a module initializer, which runs before any
/// test touches TorchSharp — and .NET's Environment.SetEnvironmentVariable does not reach native code on
/// Linux, hence libc setenv. A value already set by the user wins.
/// </summary>
static class OneDnnWorkaround
{
    [ModuleInitializer]
    public static void Apply()
    {
        if (OperatingSystem.IsLinux()) setenv("ONEDNN_MAX_CPU_ISA", "AVX2", 0);
    }

    [DllImport("libc")]
    static extern int setenv(string name, string value, int overwrite);
}
