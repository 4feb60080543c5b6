using System.Runtime.CompilerServices;
using VqVae.Training;

namespace VqVae.Tests;

static class TorchSetup
{
    // Before any test touches libtorch: its OpenMP threads would otherwise spin between steps.
    [ModuleInitializer]
    internal static void PreferPassiveOpenMpWait() => OpenMpEnvironment.PreferPassiveWait();
}
