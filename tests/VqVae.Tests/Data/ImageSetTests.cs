using VqVae.Data;

namespace VqVae.Tests.Data;

public class ImageSetTests
{
    // Four 1x1x2 images whose pixels say which image they are: image i holds (i, i + 0.5).
    static ImageSet Numbered() =>
        new([0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f], 4, 1, 1, 2, ["a", "b", "c", "d"]);

    [Fact]
    public void SliceCopiesTheChosenImagesInOrder()
    {
        var slice = Numbered().Slice([3, 1, 3]);

        Assert.Equal(3, slice.Count);
        Assert.Equal([3, 3.5f, 1, 1.5f, 3, 3.5f], slice.Pixels);
        Assert.Equal(["d", "b", "d"], slice.Names);
    }

    [Fact]
    public void TakeCopiesARun()
    {
        var run = Numbered().Take(1, 2);

        Assert.Equal([1, 1.5f, 2, 2.5f], run.Pixels);
        Assert.Equal(["b", "c"], run.Names);
    }

    [Fact]
    public void OutOfRangeIndicesAreRefused()
    {
        var set = Numbered();

        Assert.Throws<ArgumentOutOfRangeException>(() => set.Slice([4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Take(3, 2));
    }

    [Fact]
    public void PixelsThatDoNotMatchTheShapeAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ImageSet(new float[7], 4, 1, 1, 2, ["a", "b", "c", "d"]));

        Assert.Contains("7 pixels", error.Message);
    }
}
