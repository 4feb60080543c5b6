using System.IO.Compression;
using VqVae.Data;

namespace VqVae.Tests.Data;

public class MnistDatasetTests
{
    [Fact]
    public void LoadsFetchedTrainAndValidationSets()
    {
        var (train, validation) = MnistDataset.Load(TestData.MnistDir);
        var (trainLabels, validationLabels) = MnistDataset.LoadLabels(TestData.MnistDir);

        Assert.Equal(trainLabels.Length, train.Count);
        Assert.Equal(validationLabels.Length, validation.Count);
        // The fetcher keeps the last tenth of each digit's images for validation.
        for (byte digit = 0; digit < 10; digit++)
        {
            var inTrain = trainLabels.Count(l => l == digit);
            var inValidation = validationLabels.Count(l => l == digit);
            Assert.Equal((inTrain + inValidation) / 10, inValidation);
        }
    }

    [Fact]
    public void FindsGzippedFilesInTorchvisionLayout()
    {
        using var temp = new TempFolder();
        var raw = Directory.CreateDirectory(Path.Combine(temp.Path, "MNIST", "raw")).FullName;
        foreach (var name in new[] { MnistDataset.TrainImages, MnistDataset.TestImages })
        {
            using var input = File.OpenRead(Path.Combine(TestData.MnistDir, name));
            using var output = new GZipStream(File.Create(Path.Combine(raw, name + ".gz")), CompressionLevel.Fastest);
            input.CopyTo(output);
        }

        var (train, validation) = MnistDataset.Load(temp.Path);
        var (expectedTrain, expectedValidation) = MnistDataset.Load(TestData.MnistDir);

        Assert.Equal(expectedTrain.Pixels, train.Pixels);
        Assert.Equal(expectedValidation.Pixels, validation.Pixels);
    }

    [Fact]
    public void FolderWithoutMnistIsNamedWithTheMissingFile()
    {
        using var temp = new TempFolder();

        var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(temp.Path));

        Assert.Contains(temp.Path, error.Message);
        Assert.Contains(MnistDataset.TrainImages, error.Message);
    }
}
