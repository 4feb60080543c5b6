using VqVae.Training;

namespace VqVae.Bench.Tests;

// The counts the speed targets are judged with: checked layer by layer against the sums written out
// by hand from the reference post's configurations (≈57 M MACs for MNIST, 51 M of them in the
// ConvTranspose2d, and ≈147 M for Pokémon).
public class ModelFlopsTests
{
    [Fact]
    public void Mnist_layer_by_layer()
    {
        var f = ModelFlops.Of(Presets.Get("mnist").Model);   // 1×28×28, p=4, D=256, K=128
        Assert.Equal(28L * 28 * 1 * 256, f.EncoderConv);
        Assert.Equal(7L * 7 * 256 * 256, f.EncoderLinear);
        Assert.Equal(7L * 7 * 128 * 256, f.Distances);
        Assert.Equal(28L * 28 * 256 * 256, f.DecoderConvTranspose);
        Assert.Equal(28L * 28 * 256 * 1, f.DecoderLinear);
        Assert.Equal(56_598_528, f.ForwardMacs);
        Assert.Equal(2 * 56_598_528.0, f.ForwardFlops);
        Assert.Equal(6 * 56_598_528.0, f.TrainingFlops);
    }

    [Fact]
    public void The_table_path_counts_the_codes_decoder_its_jacobians_and_a_jacobian_product_per_position()
    {
        var c = Presets.Get("mnist").Model;                  // K=128, p=4, C=1, D=256, 7×7 positions, batch 256
        var f = ModelFlops.Of(c);
        double perBatch = 2.0 * 128 * 16 * (256 * 256 + 256) + 128.0 * 16 * 256 * 256;
        double expected = 2 * (3.0 * (f.EncoderConv + f.EncoderLinear + f.Distances) + perBatch / 256 + 2.0 * 49 * 16 * 256);
        Assert.Equal(expected, ModelFlops.TableTrainingFlops(c, 256), 6);
        // The table path does a small part of the direct path's work: the decoder was 91 % of it.
        Assert.InRange(ModelFlops.TableTrainingFlops(c, 256) / f.TrainingFlops, 0.05, 0.2);
    }

    [Fact]
    public void Pokemon_total()
    {
        var f = ModelFlops.Of(Presets.Get("pokemon").Model);  // 3×40×40, p=2, D=256, K=128
        Assert.Equal(40L * 40 * 256 * 256, f.DecoderConvTranspose);
        Assert.Equal(146_636_800, f.ForwardMacs);
    }

    [Fact]
    public void The_conv_model_is_refused_by_name()
    {
        var e = Assert.Throws<NotSupportedException>(() => ModelFlops.Of(new ModelConfig { Arch = Arch.Conv }));
        Assert.Contains("conv", e.Message);
    }

    [Fact]
    public void The_largest_product_is_the_transposed_convolution_as_a_matrix_product()
    {
        var o = Presets.Get("mnist");
        var shapes = GemmShape.Largest("mnist", o.Model, o.BatchSize, all: true).ToList();
        Assert.Equal(new GemmShape("mnist ConvTranspose2d", 256 * 49, 256, 256 * 16), shapes[0]);
        Assert.Equal(shapes.Max(s => s.Flops), shapes[0].Flops);
        // One product's FLOPs are the ConvTranspose2d's share of a whole batch's forward pass.
        Assert.Equal(2.0 * ModelFlops.Of(o.Model).DecoderConvTranspose * o.BatchSize, shapes[0].Flops);
    }
}
