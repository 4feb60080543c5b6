using SkiaSharp;
using VqVae.Data;

namespace VqVae.Tests.Data;

public class ImageFolderReaderTests
{
    const float OneLevel = 1 / 255f;

    static float Pixel(ImageSet set, int image, int channel, int y, int x) =>
        set.Image(image)[(channel * set.Height + y) * set.Width + x];

    static void AssertRgb(ImageSet set, int image, int y, int x, float r, float g, float b)
    {
        Assert.Equal(r, Pixel(set, image, 0, y, x), OneLevel);
        Assert.Equal(g, Pixel(set, image, 1, y, x), OneLevel);
        Assert.Equal(b, Pixel(set, image, 2, y, x), OneLevel);
    }

    [Fact]
    public void ReadsPngJpegBmpAndGifInOrdinalOrderOfRelativePath()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("b"));
        File.WriteAllBytes(temp.File("b/c.png"), TestImages.Encode(4, 4, (_, _) => SKColors.Red));
        File.WriteAllBytes(temp.File("a.jpg"), TestImages.Encode(4, 4, (_, _) => SKColors.Blue, SKEncodedImageFormat.Jpeg));
        File.WriteAllBytes(temp.File("B.bmp"), TestImages.Bmp(4, 4, (_, _) => SKColors.Lime));
        File.WriteAllBytes(temp.File("d.GIF"), TestImages.Gif(4, 4, [SKColors.Black, SKColors.Yellow, SKColors.Red, SKColors.Red], null, new byte[16]));
        File.WriteAllText(temp.File("notes.txt"), "not an image, and not named like one");

        var set = ImageFolderReader.Read(temp.Path, 3, 4, 4);

        string[] expected = ["B.bmp", "a.jpg", "b/c.png", "d.GIF"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), set.Names);
        Assert.Equal((4, 3, 4, 4), (set.Count, set.Channels, set.Height, set.Width));
        AssertRgb(set, 0, 2, 1, 0, 1, 0);
        AssertRgb(set, 1, 2, 1, 0, 0, 1);
        AssertRgb(set, 2, 2, 1, 1, 0, 0);
        AssertRgb(set, 3, 2, 1, 0, 0, 0);
    }

    [Fact]
    public void TransparencyIsCompositedOntoWhite()
    {
        using var temp = new TempFolder();
        var halfRed = new SKColor(255, 0, 0, 128);
        File.WriteAllBytes(temp.File("sprite.png"), TestImages.Encode(2, 1, (x, _) => x == 0 ? SKColors.Transparent : halfRed));

        var set = ImageFolderReader.Read(temp.Path, 3, 1, 2);

        AssertRgb(set, 0, 0, 0, 1, 1, 1);
        var through = 1 - 128 / 255f; // how much white shows through alpha 128
        AssertRgb(set, 0, 0, 1, 1, through, through);
    }

    [Fact]
    public void GifGivesItsFirstFrameWithTransparentPixelsWhite()
    {
        using var temp = new TempFolder();
        SKColor[] palette = [SKColors.Black, SKColors.Blue, SKColors.Red, SKColors.Lime];
        byte[] first = [0, 1, 2, 3]; // index 0 is the transparent one
        byte[] second = [3, 3, 3, 3];
        File.WriteAllBytes(temp.File("walk.gif"), TestImages.Gif(2, 2, palette, transparent: 0, first, second));

        var set = ImageFolderReader.Read(temp.Path, 3, 2, 2);

        AssertRgb(set, 0, 0, 0, 1, 1, 1);
        AssertRgb(set, 0, 0, 1, 0, 0, 1);
        AssertRgb(set, 0, 1, 0, 1, 0, 0);
        AssertRgb(set, 0, 1, 1, 0, 1, 0);
    }

    [Fact]
    public void GrayscaleIsLuminance()
    {
        using var temp = new TempFolder();
        var color = new SKColor(200, 100, 50);
        File.WriteAllBytes(temp.File("x.png"), TestImages.Encode(3, 3, (_, _) => color));

        var set = ImageFolderReader.Read(temp.Path, 1, 3, 3);

        Assert.Equal(1, set.Channels);
        var luminance = (0.299f * color.Red + 0.587f * color.Green + 0.114f * color.Blue) / 255f;
        Assert.All(set.Pixels, p => Assert.Equal(luminance, p, 1e-5f));
    }

    [Fact]
    public void ImagesOfOtherSizesAreResized()
    {
        using var temp = new TempFolder();
        // Left half red, right half blue: after resizing 16x8 to 4x4 the halves must stay where they were.
        File.WriteAllBytes(temp.File("wide.png"), TestImages.Encode(16, 8, (x, _) => x < 8 ? SKColors.Red : SKColors.Blue));

        var set = ImageFolderReader.Read(temp.Path, 3, 4, 4);

        Assert.Equal(3 * 4 * 4, set.Pixels.Length);
        for (var y = 0; y < 4; y++)
        {
            AssertRgb(set, 0, y, 0, 1, 0, 0);
            AssertRgb(set, 0, y, 3, 0, 0, 1);
        }
    }

    [Fact]
    public void ReadsTheFetchedPokemonSprites()
    {
        var folder = TestData.PokemonDir;
        var files = Directory.GetFiles(folder, "*.png");

        var set = ImageFolderReader.Read(folder, 3, DataFetcher.PokemonSize, DataFetcher.PokemonSize);

        Assert.Equal(files.Length, set.Count);
        Assert.All(set.Pixels, p => Assert.InRange(p, 0f, 1f));
        // Sprites stand on white: the top-left pixel is white in almost all of them, yet the pictures are not blank.
        var whiteCorners = Enumerable.Range(0, set.Count).Count(i => set.Image(i)[0] == 1f);
        Assert.True(whiteCorners > set.Count * 9 / 10, $"only {whiteCorners} of {set.Count} sprites have a white corner");
        Assert.All(Enumerable.Range(0, set.Count), i => Assert.Contains(set.Image(i).ToArray(), p => p < 0.5f));
    }

    [Fact]
    public void FileWithImageExtensionThatIsNotAnImageNamesTheFile()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("good.png"), TestImages.Encode(2, 2, (_, _) => SKColors.Red));
        File.WriteAllText(temp.File("fake.png"), "this is text, not a PNG");

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderReader.Read(temp.Path, 3, 2, 2));

        Assert.Contains(temp.File("fake.png"), error.Message);
        Assert.Contains("cannot decode", error.Message);
    }

    [Fact]
    public void TruncatedPngNamesTheFileAndSaysTruncated()
    {
        using var temp = new TempFolder();
        var png = TestImages.Encode(32, 32, (x, y) => new SKColor((byte)(x * 8), (byte)(y * 8), 0));
        File.WriteAllBytes(temp.File("cut.png"), png[..(png.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderReader.Read(temp.Path, 3, 32, 32));

        Assert.Contains(temp.File("cut.png"), error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void EmptyFolderIsNamed()
    {
        using var temp = new TempFolder();

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderReader.Read(temp.Path, 3, 8, 8));

        Assert.Contains(temp.Path, error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void FolderWithoutImagesIsNamed()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("readme.txt"), "no pictures here");

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderReader.Read(temp.Path, 3, 8, 8));

        Assert.Contains(temp.Path, error.Message);
        Assert.Contains("no PNG, JPEG, GIF or BMP images", error.Message);
    }

    [Fact]
    public void MissingFolderIsNamed()
    {
        using var temp = new TempFolder();
        var missing = temp.File("nowhere");

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderReader.Read(missing, 3, 8, 8));

        Assert.Contains(missing, error.Message);
        Assert.Contains("not found", error.Message);
    }
}
