using System.Buffers.Binary;
using System.IO.Compression;
using VqVae.Data;

namespace VqVae.Tests.Data;

public class IdxReaderTests
{
    static string TrainImages => Path.Combine(TestData.MnistDir, MnistDataset.TrainImages);
    static string TrainLabels => Path.Combine(TestData.MnistDir, MnistDataset.TrainLabels);

    static void Gzip(string source, string destination)
    {
        using var input = File.OpenRead(source);
        using var output = new GZipStream(File.Create(destination), CompressionLevel.Fastest);
        input.CopyTo(output);
    }

    [Fact]
    public void ReadsFetchedMnistImagesWithTheirLabels()
    {
        var images = IdxReader.ReadImages(TrainImages);
        var labels = IdxReader.ReadLabels(TrainLabels);

        Assert.Equal((1, 28, 28), (images.Channels, images.Height, images.Width));
        Assert.Equal(labels.Length, images.Count);
        Assert.Equal("idx:0", images.Names[0]);
        Assert.Equal($"idx:{images.Count - 1}", images.Names[^1]);
        // Real digits: black background, strokes that reach full white.
        Assert.Equal(0f, images.Pixels.Min());
        Assert.Equal(1f, images.Pixels.Max());
        Assert.Equal(Enumerable.Range(0, 10).Select(d => (byte)d), labels.Distinct().Order());
    }

    [Fact]
    public void GzippedAndPlainFilesReadTheSame()
    {
        using var temp = new TempFolder();
        // No .gz in the names: gzip must be recognised by its magic bytes.
        Gzip(TrainImages, temp.File("images"));
        Gzip(TrainLabels, temp.File("labels.idx"));

        var plain = IdxReader.ReadImages(TrainImages);
        var gzipped = IdxReader.ReadImages(temp.File("images"));

        Assert.Equal((plain.Count, plain.Height, plain.Width), (gzipped.Count, gzipped.Height, gzipped.Width));
        Assert.Equal(plain.Pixels, gzipped.Pixels);
        Assert.Equal(plain.Names, gzipped.Names);
        Assert.Equal(IdxReader.ReadLabels(TrainLabels), IdxReader.ReadLabels(temp.File("labels.idx")));
    }

    [Fact]
    public void TruncatedPixelsNameTheFileAndBothSizes()
    {
        using var temp = new TempFolder();
        var whole = File.ReadAllBytes(TrainImages);
        var count = BinaryPrimitives.ReadInt32BigEndian(whole.AsSpan(4));
        var path = temp.File("short-idx3-ubyte");
        File.WriteAllBytes(path, whole[..(16 + 1234)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains($"truncated: header says {count} images of 28x28 but only 1234 bytes of pixels", error.Message);
    }

    [Fact]
    public void TruncatedGzipNamesTheFile()
    {
        using var temp = new TempFolder();
        Gzip(TrainImages, temp.File("whole.gz"));
        var gz = File.ReadAllBytes(temp.File("whole.gz"));
        var path = temp.File("cut.gz");
        File.WriteAllBytes(path, gz[..(gz.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void TooShortForAHeaderSaysTruncated()
    {
        using var temp = new TempFolder();
        var path = temp.File("tiny");
        File.WriteAllBytes(path, File.ReadAllBytes(TrainImages)[..10]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated: 10 bytes", error.Message);
    }

    [Fact]
    public void LabelFileReadAsImagesIsAWrongMagicNumber()
    {
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(TrainLabels));

        Assert.Contains(TrainLabels, error.Message);
        Assert.Contains("wrong magic number 0x00000801 (this is an IDX label file)", error.Message);
    }

    [Fact]
    public void ImageFileReadAsLabelsIsAWrongMagicNumber()
    {
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(TrainImages));

        Assert.Contains(TrainImages, error.Message);
        Assert.Contains("wrong magic number 0x00000803 (this is an IDX image file)", error.Message);
    }

    [Fact]
    public void NotAnIdxFileAtAllIsAWrongMagicNumber()
    {
        using var temp = new TempFolder();
        var path = temp.File("readme.txt");
        File.WriteAllText(path, "hello, these are not digits at all");

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("wrong magic number", error.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        using var temp = new TempFolder();
        var path = temp.File("train-images-idx3-ubyte");

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void WrittenFilesReadBackExactly()
    {
        using var temp = new TempFolder();
        // Multiples of 1/255 survive the byte round trip exactly.
        var pixels = Enumerable.Range(0, 3 * 2 * 5).Select(i => i * 7 % 256 / 255f).ToArray();
        var images = new ImageSet(pixels, 3, 1, 2, 5, ["a", "b", "c"]);
        byte[] labels = [7, 0, 9];

        IdxWriter.WriteImages(temp.File("images"), images);
        IdxWriter.WriteLabels(temp.File("labels"), labels);

        var read = IdxReader.ReadImages(temp.File("images"));
        Assert.Equal((3, 1, 2, 5), (read.Count, read.Channels, read.Height, read.Width));
        Assert.Equal(pixels, read.Pixels);
        Assert.Equal(labels, IdxReader.ReadLabels(temp.File("labels")));
        Assert.Equal(["images", "labels"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName).Order());
    }
}
