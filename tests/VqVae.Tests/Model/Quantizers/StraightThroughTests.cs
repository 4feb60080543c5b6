using VqVae.Checkpoints;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Tests.Model.Quantizers;

/// <summary>
/// The two straight-through variants differ in one thing: whether the decoder's gradient reaches the
/// codebook. These tests tell them apart, so a port that swapped or broke them fails.
/// </summary>
public class StraightThroughTests
{
    static (Tensor FromReconstruction, Tensor FromVqLoss, Tensor EncoderGrad) CodebookGradients(GradientEstimator estimator)
    {
        manual_seed(5);
        var model = new VqVaeModel(new ModelConfig { HiddenSize = 16, CodebookSize = 8 }, estimator);
        var x = rand(4, 1, 28, 28);

        var output = model.forward(x);
        functional_mse(output.Reconstruction, x).backward();
        var fromRecon = model.codebook.weight.grad?.clone() ?? zeros_like(model.codebook.weight);
        var encoderGrad = model.parameters().First().grad!.clone();
        model.zero_grad();

        output = model.forward(x);
        VqVaeModel.Loss(output, x).Vq.backward();
        var fromVq = model.codebook.weight.grad!.clone();
        return (fromRecon, fromVq, encoderGrad);
    }

    static Tensor functional_mse(Tensor a, Tensor b) => nn.functional.mse_loss(a, b);

    [Fact]
    public void Straight_through_trains_the_codebook_only_through_the_vq_loss()
    {
        var (fromRecon, fromVq, encoderGrad) = CodebookGradients(GradientEstimator.StraightThrough);
        Assert.Equal(0f, fromRecon.abs().sum().item<float>());
        Assert.True(fromVq.abs().sum().item<float>() > 0);
        Assert.True(encoderGrad.abs().sum().item<float>() > 0, "the decoder's gradient must reach the encoder");
    }

    [Fact]
    public void Straight_through_to_codebook_also_trains_the_codebook_through_the_decoder()
    {
        var (fromRecon, fromVq, encoderGrad) = CodebookGradients(GradientEstimator.StraightThroughToCodebook);
        Assert.True(fromRecon.abs().sum().item<float>() > 0);
        Assert.True(fromVq.abs().sum().item<float>() > 0);
        Assert.True(encoderGrad.abs().sum().item<float>() > 0, "the decoder's gradient must reach the encoder");
    }

    [Theory]
    [InlineData(GradientEstimator.StraightThrough)]
    [InlineData(GradientEstimator.StraightThroughToCodebook)]
    [InlineData(GradientEstimator.RotationTrick)]
    public void Both_variants_feed_the_decoder_the_quantized_values(GradientEstimator estimator)
    {
        manual_seed(6);
        var model = new VqVaeModel(new ModelConfig { HiddenSize = 16, CodebookSize = 8 }, estimator);
        var x = rand(3, 1, 28, 28);
        using var _ = no_grad();
        var output = model.forward(x);
        var expected = model.DecodeCodes(output.Codes);
        Assert.True(output.Reconstruction.allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void The_rotation_trick_trains_the_codebook_only_through_the_vq_loss_and_passes_the_encoder_a_gradient()
    {
        var (fromRecon, fromVq, encoderGrad) = CodebookGradients(GradientEstimator.RotationTrick);
        Assert.Equal(0f, fromRecon.abs().sum().item<float>());
        Assert.True(fromVq.abs().sum().item<float>() > 0);
        Assert.True(encoderGrad.abs().sum().item<float>() > 0, "the decoder's gradient must reach the encoder");
    }

    [Fact]
    public void Loss_is_recon_plus_vq_plus_beta_commitment()
    {
        manual_seed(7);
        var model = new VqVaeModel(new ModelConfig { HiddenSize = 16, CodebookSize = 8 });
        var x = rand(3, 1, 28, 28);
        var output = model.forward(x);
        var loss = VqVaeModel.Loss(output, x);
        var recon = (output.Reconstruction - x).pow(2).mean().item<float>();
        var vq = (output.ZQ - output.ZE).pow(2).mean().item<float>();
        Assert.Equal(recon, loss.Reconstruction.item<float>(), 6);
        Assert.Equal(vq, loss.Vq.item<float>(), 6);
        Assert.Equal(vq, loss.Commitment.item<float>(), 6);
        Assert.Equal(recon + vq + 0.25f * vq, loss.Total.item<float>(), 5);
    }
}
