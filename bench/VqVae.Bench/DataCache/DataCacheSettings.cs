namespace VqVae.Bench;

/// <summary>
/// How much the data-cache bench runs. Full: a generated folder of 24,000 64×64 RGB PNGs and one of
/// 3,000 (its first files), each trained on by the parent build (in memory) and by this one (cache
/// built, then reused); then the two small presets, both builds in alternating pairs. Sized for about
/// 10 minutes on an idle 2-core machine (an estimate: the recorded run shared the machine).
/// </summary>
public sealed record DataCacheSettings
{
    public bool Quick { get; init; }
    public int Threads { get; init; }
    public string DataDir { get; init; } = "data";
    public int SmallFolder { get; init; }
    public int LargeFolder { get; init; }
    public int ImageSize { get; init; } = 64;
    /// <summary>Epochs and steps per epoch of the folder runs (a small model: the data path is what is measured).</summary>
    public int FolderEpochs { get; init; }
    public int FolderSteps { get; init; }
    public int PresetEpochs { get; init; }
    public int MnistSteps { get; init; }
    public int PokemonSteps { get; init; }
    /// <summary>Alternating pairs (parent build, this build) per preset.</summary>
    public int Pairs { get; init; }

    public static DataCacheSettings Full(int threads, string dataDir) => new()
    {
        Threads = threads, DataDir = dataDir, SmallFolder = 3_000, LargeFolder = 24_000,
        FolderEpochs = 4, FolderSteps = 10, PresetEpochs = 3, MnistSteps = 8, PokemonSteps = 0, Pairs = 2,
    };

    public static DataCacheSettings QuickRun(int threads, string dataDir) => new()
    {
        Quick = true, Threads = threads, DataDir = dataDir, SmallFolder = 150, LargeFolder = 600,
        FolderEpochs = 2, FolderSteps = 2, PresetEpochs = 2, MnistSteps = 1, PokemonSteps = 1, Pairs = 1,
    };
}
