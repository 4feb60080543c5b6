using System.Runtime.CompilerServices;
using VqVae.Training;

namespace VqVae.TestSupport;

/// <summary>The libtorch settings of every test project that uses TorchSharp (compiled into each of them).</summary>
static class TorchSetup
{
    // Before any test touches libtorch (see LibtorchEnvironment for why each setting matters).
    [ModuleInitializer]
    internal static void Prepare() => LibtorchEnvironment.Prepare();
}
