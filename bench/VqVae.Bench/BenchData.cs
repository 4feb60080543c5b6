using VqVae.Data;
using VqVaeMl.MlNet.Scoring;

namespace VqVae.Bench;

/// <summary>
/// The images every measurement uses: the data sets fetched as `vqvae-train fetch-data` does (nothing
/// happens when they are there), the MNIST validation digits and the Pokémon sprites in memory, and a
/// trainer data folder whose validation set is cut short (validation is run but not timed; a full
/// 10,000-image pass after every epoch would take most of the time budget).
/// </summary>
public sealed class BenchData
{
    public required string MnistFolder { get; init; }
    public required string PokemonFolder { get; init; }
    /// <summary>All 60,000 MNIST training images and the first validation images, as IDX files.</summary>
    public required string MnistTrainerFolder { get; init; }
    public required ImageSet MnistDigits { get; init; }
    public required ImageSet PokemonSprites { get; init; }

    public ImageSet ImagesFor(string preset) => preset.StartsWith("mnist") ? MnistDigits : PokemonSprites;

    public static BenchData Prepare(BenchSettings settings, string workDir, Action<string> log)
    {
        var mnist = DataFetcher.FetchMnist(settings.DataDir, log);
        var pokemon = DataFetcher.FetchPokemon(settings.DataDir, log);
        var digits = MnistDataset.Load(mnist).Validation;

        var trainerFolder = Directory.CreateDirectory(Path.Combine(workDir, "mnist-trainer")).FullName;
        var trainImages = Directory.GetFiles(mnist, MnistDataset.TrainImages + "*").Order(StringComparer.Ordinal).First();
        // A link, not a copy: the trainer reads the same 47 MB either way.
        File.CreateSymbolicLink(Path.Combine(trainerFolder, Path.GetFileName(trainImages)), trainImages);
        IdxWriter.WriteImages(Path.Combine(trainerFolder, MnistDataset.TestImages), digits.Take(0, settings.MnistValidationImages));

        return new BenchData
        {
            MnistFolder = mnist,
            PokemonFolder = pokemon,
            MnistTrainerFolder = trainerFolder,
            MnistDigits = digits,
            PokemonSprites = ImageFolderReader.Read(pokemon, 3, DataFetcher.PokemonSize, DataFetcher.PokemonSize),
        };
    }

    /// <summary>
    /// Writes <paramref name="count"/> PNG files into a new folder, repeating the set's images in order:
    /// each distinct image is encoded once and its bytes written as often as needed.
    /// </summary>
    public static string WritePngs(ImageSet images, int count, string folder)
    {
        Directory.CreateDirectory(folder);
        var encoded = new byte[Math.Min(count, images.Count)][];
        for (int i = 0; i < encoded.Length; i++)
            encoded[i] = ReconstructionPng.Encode(images.Image(i), images.Channels, images.Height, images.Width);
        for (int i = 0; i < count; i++)
            File.WriteAllBytes(Path.Combine(folder, $"{i:D6}.png"), encoded[i % encoded.Length]);
        return folder;
    }
}
