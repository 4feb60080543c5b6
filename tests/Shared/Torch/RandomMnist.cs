using VqVae.Data;

namespace VqVae.TestSupport;

/// <summary>A tiny MNIST as IDX files of random digits (seed 3): enough for a training step or a metrics row, read as data/mnist is.</summary>
public static class RandomMnist
{
    public static string Write(string folder, int trainCount, int testCount)
    {
        Directory.CreateDirectory(folder);
        var rng = new Random(3);
        foreach (var (images, labels, count) in new[] { (MnistDataset.TrainImages, MnistDataset.TrainLabels, trainCount), (MnistDataset.TestImages, MnistDataset.TestLabels, testCount) })
        {
            var pixels = new byte[count * 28 * 28];
            rng.NextBytes(pixels);
            IdxWriter.WriteImages(Path.Combine(folder, images), pixels, count, 28, 28);
            IdxWriter.WriteLabels(Path.Combine(folder, labels), Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray());
        }
        return folder;
    }
}
