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
        Assert.Equal(8 * 5 * 3 * 4, fsq.CodebookSize);
        var codes = arange(fsq.CodebookSize, dtype: ScalarType.Int64);
        var grid = fsq.GridOfCodes(codes);
        Assert.Equal(new long[] { fsq.CodebookSize, 4 }, grid.shape);
        Assert.True(fsq.CodesOfGrid(grid).equal(codes).all().item<bool>());
        Assert.Equal(fsq.CodebookSize, grid.unique(dim: 0).output.shape[0]);
        // Normalised: every channel within [−1, 1], its levels evenly spaced (8 levels: −1 … 0.75).
        Assert.True(grid.abs().max().item<float>() <= 1f);
        Assert.Equal(new[] { -1f, -0.75f, -0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f }, grid[.., 0].unique().output.data<float>().ToArray());
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f, 1f }, grid[.., 1].unique().output.data<float>().ToArray());
    }

    [Fact]
    public void Every_code_is_reached_by_the_bound_and_rounding()
    {
        var fsq = new FiniteScalarQuantizer(Levels, hiddenSize: 6);
        var (half, offset, shift, halfWidth) = fsq.BoundConstants(CPU);
        // Inverts the bound at each grid point: the projected value that lands exactly on it.
        var target = fsq.GridOfCodes(arange(fsq.CodebookSize, dtype: ScalarType.Int64)) * halfWidth;
        var preimage = ((target + offset) / half).atanh() - shift;
        var rounded = fsq.Bound(preimage).round();
        Assert.True(rounded.equal(target).all().item<bool>());
        // And nothing, however large, rounds past the outer levels.
        var extreme = fsq.Bound(tensor(new float[] { -1e6f, 1e6f, -1e6f, 1e6f }).reshape(1, 4)).round();
        var top = tensor(Levels.Select(l => (float)(l - 1 - l / 2)).ToArray());     // 8 levels: −4 … 3; 5 levels: −2 … 2
        Assert.True(extreme[0].equal(stack(new[] { -halfWidth[0], top[1], -halfWidth[2], top[3] })).all().item<bool>(), extreme.ToString(TorchSharp.TensorStringStyle.Julia));
        var codes = fsq.CodesOfGrid(fsq.Bound(randn(20000, 4) * 3).round() / halfWidth);
        Assert.True(codes.min().item<long>() >= 0 && codes.max().item<long>() < fsq.CodebookSize);
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
