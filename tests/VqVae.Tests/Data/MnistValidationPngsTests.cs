using VqVae.Data;

namespace VqVae.Tests.Data;

public class MnistValidationPngsTests
{
    [Fact]
    public void The_validation_split_becomes_pngs_with_the_same_pixels_and_labels()
    {
        using var dir = new TempFolder();
        var folder = MnistValidationPngs.Write(TestData.MnistDir, dir.Path);
        var (_, validation) = MnistDataset.Load(TestData.MnistDir);
        var (_, labels) = MnistDataset.LoadLabels(TestData.MnistDir);
        var files = Directory.GetFiles(folder, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(validation.Count, files.Length);
        Assert.Equal($"0005-{labels[5]}.png", files[5]);

        var read = ImageFolderReader.Read(folder, 1, 28, 28);
        // PNG is lossless: every byte of every digit comes back. (The reader's float path weighs a grey
        // pixel's three channels by 0.299, 0.587 and 0.114, whose float sum is not exactly 1, so the
        // comparison is of the bytes.)
        static byte Byte(float v) => (byte)MathF.Round(v * 255f);
        for (int i = 0; i < validation.Count; i++)
        {
            var expected = validation.Image(i).ToArray().Select(Byte);
            var actual = read.Image(i).ToArray().Select(Byte);
            Assert.True(expected.SequenceEqual(actual), $"digit {i} differs");
        }
        // A second call leaves the folder as it is.
        var stamp = Directory.GetLastWriteTimeUtc(folder);
        MnistValidationPngs.Write(TestData.MnistDir, dir.Path);
        Assert.Equal(stamp, Directory.GetLastWriteTimeUtc(folder));
    }
}
