using System.Runtime.CompilerServices;
using VqVae.Training;

namespace VqVae.OutputSafety.Tests;

static class TorchSetup
{
    // Before any test touches libtorch (see LibtorchEnvironment for why each setting matters).
    [ModuleInitializer]
    internal static void Prepare() => LibtorchEnvironment.Prepare();
}
