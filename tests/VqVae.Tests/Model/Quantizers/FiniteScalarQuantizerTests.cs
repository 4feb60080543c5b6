using VqVae.Model.Quantizers;
using static TorchSharp.torch;

namespace VqVae.Tests.Model.Quantizers;

public class FiniteScalarQuantizerTests
{
    static readonly FsqLevels Levels = new([8, 5, 3, 4]);

    [Fact]
    public void Codes_and_grid_points_round_trip_and_every_grid_point_is_distinct()
    {
        var fsq = new FiniteScalarQuantizer(Levels, hiddenSize: 6);
        Assert.Equal(480, fsq.CodebookSize);                                        // 8·5·3·4
        var codes = arange(480, dtype: ScalarType.Int64);
        var grid = fsq.GridOfCodes(codes);
        Assert.Equal(new long[] { 480, 4 }, grid.shape);
        Assert.True(fsq.CodesOfGrid(grid).equal(codes).all().item<bool>());
        Assert.Equal(480, grid.unique(dim: 0).output.shape[0]);
        // Normalised: each channel's levels evenly spaced in [−1, 1]; an even count has no level at +1.
        Assert.Equal(new[] { -1f, -0.75f, -0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f }, grid[.., 0].unique().output.data<float>().ToArray());
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f, 1f }, grid[.., 1].unique().output.data<float>().ToArray());
        Assert.Equal(new[] { -1f, 0f, 1f }, grid[.., 2].unique().output.data<float>().ToArray());
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f }, grid[.., 3].unique().output.data<float>().ToArray());
    }

    [Fact]
    public void The_bound_and_rounding_reach_every_level_of_each_channel_and_none_beyond()
    {
        var fsq = new FiniteScalarQuantizer(Levels, hiddenSize: 6);
        // A dense sweep of every channel over a range far wider than the tanh's: the integers rounding yields
        // are each channel's levels, centred (8 levels: −4 … 3; 5: −2 … 2; 3: −1 … 1; 4: −2 … 1).
        var sweep = linspace(-50, 50, 400_001).unsqueeze(1).expand(-1, 4).contiguous();
        var rounded = fsq.Bound(sweep).round();
        float[][] expected = [[-4, -3, -2, -1, 0, 1, 2, 3], [-2, -1, 0, 1, 2], [-1, 0, 1], [-2, -1, 0, 1]];
        for (int channel = 0; channel < 4; channel++)
            Assert.Equal(expected[channel], rounded[.., channel].unique().output.data<float>().ToArray());
        // And nothing, however large, rounds past the outer levels.
        var extreme = fsq.Bound(tensor(new float[] { -1e6f, 1e6f, -1e6f, 1e6f }).reshape(1, 4)).round();
        Assert.Equal(new[] { -4f, 2f, -1f, 1f }, extreme.data<float>().ToArray());
        var codes = fsq.Codes(randn(20000, 6) * 3);
        Assert.True(codes.min().item<long>() >= 0 && codes.max().item<long>() < 480);
    }

    [Fact]
    public void Forward_matches_lookup_of_its_codes_has_no_loss_and_passes_gradients()
    {
        manual_seed(41);
        var fsq = new FiniteScalarQuantizer(Levels, hiddenSize: 6);
        var ze = randn(2, 3, 3, 6).requires_grad_(true);
        var output = fsq.forward(ze);
        Assert.Equal(new long[] { 2, 3, 3 }, output.Codes.shape);
        Assert.Empty(output.Loss.Terms);
        Assert.True(output.ZQ.allclose(fsq.Lookup(output.Codes), atol: 1e-6));
        Assert.True(output.Codes.equal(fsq.Codes(ze)).all().item<bool>());
        output.DecoderInput.pow(2).sum().backward();
        Assert.True(ze.grad!.abs().sum().item<float>() > 0, "the straight-through rounding must pass the gradient to the encoder");
        Assert.True(fsq.project_in.weight!.grad!.abs().sum().item<float>() > 0);
        Assert.True(fsq.project_out.weight!.grad!.abs().sum().item<float>() > 0);
    }
}
