namespace VqVae.Common.Tests;

/// <summary>The contract's shapes and its comparison of two configurations.</summary>
public class ModelConfigTests
{
    [Fact]
    public void Shapes_follow_the_patch_grid_and_the_codes_per_position()
    {
        var vq = new ModelConfig { Channels = 3, Height = 16, Width = 12, PatchSize = 4, HiddenSize = 6, CodebookSize = 10 };
        Assert.Equal([3, 16, 12], vq.ImageShape);
        Assert.Equal([4, 3, 6], vq.LatentShape);
        Assert.Equal([4, 3], vq.CodeShape);
        Assert.Equal((576, 12), (vq.PixelCount, vq.CodeCount));
        var rvq = vq with { Quantizer = QuantizerKind.Rvq, Depth = 2 };
        Assert.Equal([4, 3, 2], rvq.CodeShape);
        Assert.Equal(24, rvq.CodeCount);
    }

    [Fact]
    public void Differences_name_every_field_that_differs_and_none_when_equal()
    {
        var a = new ModelConfig();
        Assert.Empty(a.Differences(a with { }));
        var b = a with { PatchSize = 2, Quantizer = QuantizerKind.Fsq, Levels = FsqLevels.Parse("8,5"), CodebookSize = 40 };
        Assert.Equal(["patch_size 4 vs 2", "codebook_size 128 vs 40", "quantizer vq vs fsq", "levels none vs [8,5]"], a.Differences(b));
    }
}
