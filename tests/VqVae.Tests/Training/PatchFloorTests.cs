using VqVae.Data;
using VqVae.Training;

namespace VqVae.Tests.Training;

public class PatchFloorTests
{
    /// <summary>Images tiled from 4 distinct 2×2 patches: 4 centroids reproduce them exactly, 1 cannot.</summary>
    [Fact]
    public void Floor_is_zero_when_k_covers_every_distinct_patch_and_positive_below()
    {
        var rng = new Random(1);
        float[][] tiles = { new float[] { 0, 0, 0, 0 }, new float[] { 1, 1, 1, 1 }, new float[] { 1, 0, 0, 1 }, new float[] { 0, 1, 1, 0 } };
        ImageSet Make(int count)
        {
            var pixels = new float[count * 8 * 8];
            for (int n = 0; n < count; n++)
                for (int by = 0; by < 4; by++)
                    for (int bx = 0; bx < 4; bx++)
                    {
                        var tile = tiles[rng.Next(4)];
                        for (int i = 0; i < 4; i++) pixels[n * 64 + (by * 2 + i / 2) * 8 + bx * 2 + i % 2] = tile[i];
                    }
            return new ImageSet(pixels, count, 1, 8, 8, Enumerable.Range(0, count).Select(i => $"t{i}").ToArray());
        }
        var train = Make(50);
        var validation = Make(20);
        Assert.Equal(16 * 20, PatchFloor.Patches(validation, 2).shape[0]);
        Assert.True(PatchFloor.Measure(train, validation, 2, 4) < 1e-6);
        Assert.True(PatchFloor.Measure(train, validation, 2, 1) > 0.1);
    }
}
