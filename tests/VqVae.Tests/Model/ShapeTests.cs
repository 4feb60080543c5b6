using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Tests.Model;

/// <summary>The tensor shapes the reference post lists, step by step, for both of its data sets.</summary>
public class ShapeTests
{
    [Theory]
    [InlineData(1, 28, 28, 4, 256, 128)] // MNIST preset
    [InlineData(3, 40, 40, 2, 256, 128)] // Pokémon preset
    public void Every_step_has_the_posts_shape(int c, int h, int w, int p, int d, int k)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var model = new VqVaeModel(new ModelConfig { Channels = c, Height = h, Width = w, PatchSize = p, HiddenSize = d, CodebookSize = k });
        var x = rand(5, c, h, w);

        var ze = model.Encode(x);                       // encoder output z_e: [b, h/p, w/p, c]
        Assert.Equal(new long[] { 5, h / p, w / p, d }, ze.shape);
        var flat = ze.view(-1, d);                       // z_e for VQ: [b·h·w/p², c]
        Assert.Equal(new long[] { 5L * h * w / (p * p), d }, flat.shape);
        var (codes, zq) = model.Quantize(ze);
        Assert.Equal(new long[] { 5, h / p, w / p }, codes.shape);
        Assert.Equal(ScalarType.Int64, codes.dtype);
        Assert.Equal(ze.shape, zq.shape);                // z_q: same as z_e
        var decoderInput = zq.permute(0, 3, 1, 2);       // decoder input: [b, c, h/p, w/p]
        Assert.Equal(new long[] { 5, d, h / p, w / p }, decoderInput.shape);

        var output = model.forward(x);                    // x_hat: [b, c, h, w], like the input
        Assert.Equal(x.shape, output.Reconstruction.shape);
        Assert.True(output.Reconstruction.min().item<float>() >= 0 && output.Reconstruction.max().item<float>() <= 1);
    }

    [Fact]
    public void Codebook_starts_uniform_in_plus_minus_one_over_K()
    {
        manual_seed(2);
        var model = new VqVaeModel(new ModelConfig { CodebookSize = 128, HiddenSize = 256 });
        var weight = model.codebook.weight;
        Assert.Equal(new long[] { 128, 256 }, weight.shape);
        Assert.True(weight.abs().max().item<float>() <= 1.0f / 128);
        // Spread over the whole interval, not a constant: std of U(−a, a) is a/√3.
        Assert.InRange(weight.std().item<float>(), 0.9f / 128 / MathF.Sqrt(3), 1.1f / 128 / MathF.Sqrt(3));
    }

    [Fact]
    public void Conv_model_has_the_same_interface_shapes()
    {
        using var scope = NewDisposeScope();
        var model = new VqVaeModel(new ModelConfig { Arch = Arch.Conv, Channels = 3, Height = 40, Width = 40, PatchSize = 4, HiddenSize = 16, CodebookSize = 8, ConvChannels = 8 });
        var x = rand(2, 3, 40, 40);
        var output = model.forward(x);
        Assert.Equal(new long[] { 2, 10, 10, 16 }, output.ZE.shape);
        Assert.Equal(new long[] { 2, 10, 10 }, output.Codes.shape);
        Assert.Equal(x.shape, output.Reconstruction.shape);
    }
}
