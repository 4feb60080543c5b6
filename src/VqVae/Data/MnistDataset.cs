namespace VqVae.Data;

/// <summary>MNIST from its IDX files: the training images, and the t10k images as validation set.</summary>
public static class MnistDataset
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>Finds the files in <paramref name="dir"/> itself or in torchvision's dir/MNIST/raw, plain or .gz.</summary>
    public static (ImageSet Train, ImageSet Validation) Load(string dir) =>
        (ReadChecked(dir, TrainImages, TrainLabels), ReadChecked(dir, TestImages, TestLabels));

    /// <summary>The images; when their label file is there too, its count must agree (a mismatch means a mixed-up or cut-off pair).</summary>
    static ImageSet ReadChecked(string dir, string images, string labels)
    {
        var imagePath = Find(dir, images);
        var set = IdxReader.ReadImages(imagePath);
        CheckLabelCount(dir, labels, imagePath, set.Count);
        return set;
    }

    /// <summary>When the label file <paramref name="labels"/> is there, its count must be the image file's.</summary>
    public static void CheckLabelCount(string dir, string labels, string imagePath, int imageCount)
    {
        if (TryFind(dir, labels) is not { } labelPath) return;
        var count = IdxReader.ReadLabels(labelPath).Length;
        if (count != imageCount)
            throw new InvalidDataException($"{labelPath}: {count} labels but {imagePath} holds {imageCount} images; the files do not belong together");
    }

    /// <summary>The labels of the training and validation sets, in the same order as <see cref="Load"/>'s images.</summary>
    public static (byte[] Train, byte[] Validation) LoadLabels(string dir) =>
        (IdxReader.ReadLabels(Find(dir, TrainLabels)), IdxReader.ReadLabels(Find(dir, TestLabels)));

    static string? TryFind(string dir, string name)
    {
        string[] folders = [dir, Path.Combine(dir, "MNIST", "raw")];
        foreach (var folder in folders)
            foreach (var file in new[] { name, name + ".gz" })
            {
                var path = Path.Combine(folder, file);
                if (File.Exists(path)) return path;
            }
        return null;
    }

    /// <summary>The path of IDX file <paramref name="name"/> in <paramref name="dir"/> or its MNIST/raw, plain or .gz.</summary>
    public static string Find(string dir, string name) => TryFind(dir, name) ?? throw new InvalidDataException(
            $"{dir}: no {name} (or {name}.gz) here or in MNIST/raw below it; fetch MNIST first (the fetch-data verb)");
}
