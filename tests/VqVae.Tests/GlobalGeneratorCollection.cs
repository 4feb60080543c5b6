namespace VqVae.Tests;

/// <summary>
/// Tests that seed libtorch's process-wide generator and compare results exactly. They run alone, after
/// the parallel classes: another class drawing random numbers at the same moment would shift their draws.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "libtorch's global generator";
}
