using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Tests.Model;

/// <summary>The matrix-product form of the patch layers must equal libtorch's convolutions.</summary>
public class PatchMatmulTests
{
    [Theory]
    [InlineData(1, 28, 4, 32)]
    [InlineData(3, 40, 2, 16)]
    public void Conv_as_matmul_equals_conv2d(int c, int size, int p, int d)
    {
        manual_seed(11);
        var conv = nn.Conv2d(c, d, kernel_size: p, stride: p);
        var x = rand(3, c, size, size);
        var expected = conv.forward(x).permute(0, 2, 3, 1);
        var actual = PatchMatmul.Conv(x, conv);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5), $"max diff {(actual - expected).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData(7, 4, 32, 24)]
    [InlineData(20, 2, 16, 16)]
    public void Conv_transpose_as_matmul_equals_conv_transpose2d(int latent, int p, int dIn, int dOut)
    {
        manual_seed(12);
        var conv = nn.ConvTranspose2d(dIn, dOut, kernel_size: p, stride: p);
        var z = randn(3, dIn, latent, latent);
        var expected = conv.forward(z).permute(0, 2, 3, 1);
        var actual = PatchMatmul.ConvTranspose(z, conv);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-5), $"max diff {(actual - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void Gradients_match_the_convolution_form()
    {
        manual_seed(13);
        var conv = nn.ConvTranspose2d(8, 6, kernel_size: 2, stride: 2);
        var z = randn(2, 8, 5, 5);
        conv.forward(z).pow(2).sum().backward();
        var expected = conv.weight!.grad!.clone();
        conv.zero_grad();
        PatchMatmul.ConvTranspose(z, conv).pow(2).sum().backward();
        Assert.True(conv.weight!.grad!.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }
}
