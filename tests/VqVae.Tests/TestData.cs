using VqVae.Data;

namespace VqVae.Tests;

/// <summary>
/// Where the tests find the repository and the real data sets. The data sets are fetched into the
/// repository's (git-ignored) data/ folder on first use; DataFetcher's lock makes that safe when
/// several test processes start at once, and Lazy when several test classes do.
/// </summary>
public static class TestData
{
    static readonly Lazy<string> repoRoot = new(FindRepoRoot);
    static readonly Lazy<string> mnistDir = new(() => DataFetcher.FetchMnist(DataDir));
    static readonly Lazy<string> pokemonDir = new(() => DataFetcher.FetchPokemon(DataDir));

    /// <summary>The folder holding VqVaeMl.sln.</summary>
    public static string RepoRoot => repoRoot.Value;

    public static string DataDir => Path.Combine(RepoRoot, "data");

    /// <summary>data/mnist with the four IDX files, fetched if missing.</summary>
    public static string MnistDir => mnistDir.Value;

    /// <summary>data/pokemon with 40×40 RGB PNGs, fetched if missing.</summary>
    public static string PokemonDir => pokemonDir.Value;

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VqVaeMl.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no VqVaeMl.sln in {AppContext.BaseDirectory} or any folder above it");
    }
}
