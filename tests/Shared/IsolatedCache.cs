using System.Runtime.CompilerServices;

namespace VqVae.TestSupport;

/// <summary>
/// Every test process keeps its image caches in a temporary folder of its own, named by VQVAE_CACHE_DIR,
/// which the tools it starts inherit: no test writes into data/ or into the user's ~/.cache.
/// </summary>
static class IsolatedCache
{
    public static string Root { get; private set; } = "";

    [ModuleInitializer]
    internal static void Isolate()
    {
        Root = Directory.CreateTempSubdirectory("vqvae-test-cache-").FullName;
        Environment.SetEnvironmentVariable("VQVAE_CACHE_DIR", Root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(Root, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        };
    }
}
