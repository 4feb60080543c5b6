using TorchSharp;
using VqVae.Prior;
using static TorchSharp.torch;

namespace VqVae.Tests.Prior;

/// <summary>Seeds libtorch's global generator (the weights and inputs each test draws), so it runs with the other seeded classes.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class GatedPixelCnnTests
{
    static readonly PriorConfig Small = new() { CodebookSize = 8, Height = 6, Width = 6, Channels = 8, Layers = 4, KernelSize = 3 };

    /// <summary>
    /// For every position p: the gradient of p's logits with respect to the embedded input is zero at p
    /// and at every later position in raster order (no look-ahead), and non-zero at the position just
    /// left of p, just above p and above-right of p (no blind spot: the horizontal stack sees the row
    /// so far, the vertical stack the rows above on both sides).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Logits_depend_on_earlier_positions_only_and_have_no_blind_spot(int classCount)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var config = Small with { ClassCount = classCount };
        using var model = new GatedPixelCnn(config);
        model.eval();
        int h = config.Height, w = config.Width;
        var label = classCount > 0 ? tensor(new long[] { 1 }) : null;
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
            {
                using var step = NewDisposeScope();
                var x = randn(1, config.Channels, h, w).requires_grad_(true);
                var logits = model.ForwardEmbedded(x, label);
                logits[0, TensorIndex.Colon, i, j].sum().backward();
                var influence = x.grad!.abs().sum(1)[0];   // [h, w]: how much each input position moves p's logits
                                                           // Masked weights give exact zeros; the bound only allows for a convolution algorithm's rounding.
                float floor = 1e-6f * influence.max().item<float>();
                for (int y = 0; y < h; y++)
                    for (int z = 0; z < w; z++)
                    {
                        float g = influence[y, z].item<float>();
                        if (y * w + z >= i * w + j)
                            Assert.True(g <= floor, $"logits at ({i},{j}) see ({y},{z}), which is not before it (gradient {g})");
                    }
                if (j > 0) Assert.True(influence[i, j - 1].item<float>() > 0, $"({i},{j}) does not see its left neighbour");
                if (i > 0) Assert.True(influence[i - 1, j].item<float>() > 0, $"({i},{j}) does not see the position above");
                if (i > 0 && j + 1 < w) Assert.True(influence[i - 1, j + 1].item<float>() > 0, $"({i},{j}) has a blind spot above-right");
                if (i > 0 && j > 0) Assert.True(influence[i - 1, j - 1].item<float>() > 0, $"({i},{j}) does not see above-left");
            }
    }

    [Fact]
    public void The_whole_earlier_map_reaches_the_last_position()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        // 4 layers of 3-wide kernels reach every earlier position of a 4×4 map from the last one.
        var config = Small with { Height = 4, Width = 4 };
        using var model = new GatedPixelCnn(config);
        var x = randn(1, config.Channels, 4, 4).requires_grad_(true);
        model.ForwardEmbedded(x)[0, TensorIndex.Colon, 3, 3].sum().backward();
        var influence = x.grad!.abs().sum(1)[0];
        for (int p = 0; p < 15; p++)
            Assert.True(influence[p / 4, p % 4].item<float>() > 0, $"the last position does not see ({p / 4},{p % 4})");
    }

    [Fact]
    public void Loss_falls_on_a_tiny_data_set()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        // Two patterns of stripes and their labels: predictable from the codes before each position.
        var a = Enumerable.Range(0, 36).Select(p => (long)(p % 2)).ToArray();          // columns alternate
        var b = Enumerable.Range(0, 36).Select(p => (long)(p / 6 % 4 + 2)).ToArray();  // rows count up
        var codes = tensor(a.Concat(b).Concat(a).Concat(b).ToArray(), new long[] { 4, 6, 6 });
        var labels = tensor(new long[] { 0, 1, 0, 1 });
        var config = Small with { ClassCount = 2 };
        using var model = new GatedPixelCnn(config);
        using var optimizer = torch.optim.Adam(model.parameters(), lr: 3e-3);
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var s = NewDisposeScope();
            var loss = nn.functional.cross_entropy(model.Forward(codes, labels), codes);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(first > 1.5, $"an untrained prior over 8 codes starts near ln 8 = 2.08 nats, got {first}");
        Assert.True(last < 0.5 * first, $"loss went from {first} to {last} in 60 steps");
    }

    [Fact]
    public void Histogram_entropy_is_that_of_the_code_counts()
    {
        using var scope = NewDisposeScope();
        var codes = tensor(new long[] { 0, 0, 1, 2 }).reshape(1, 2, 2);
        // p = (1/2, 1/4, 1/4): H = 1.5 bits; unused codes add nothing.
        Assert.Equal(1.5, PriorTrainingLoop.HistogramEntropyBits(codes, 16), 9);
    }
}
