using VqVae.Checkpoints;
using VqVae.Model.Quantizers;
using static TorchSharp.torch;

namespace VqVae.Tests.Model.Quantizers;

/// <summary>
/// The rotation trick (Fifty et al. 2024) keeps the straight-through estimator's forward value and
/// changes only the gradient: the encoder gets the decoder's gradient rotated from q's direction to
/// e's and scaled by ‖q‖/‖e‖.
/// </summary>
public class RotationTrickTests
{
    static (Tensor Value, Tensor Grad) Through(GradientEstimator estimator, Tensor e, Tensor q, Tensor upstream)
    {
        var leaf = e.clone().requires_grad_(true);
        var value = GradientEstimators.Apply(estimator, leaf, q);
        (value * upstream).sum().backward();
        return (value.detach(), leaf.grad!.clone());
    }

    static double Cosine(Tensor a, Tensor b) =>
        ((a * b).sum() / (a.norm() * b.norm())).item<float>();

    [Fact]
    public void Forward_value_is_the_straight_through_ones()
    {
        manual_seed(31);
        var e = randn(64, 16);
        var q = randn(64, 16) * 0.3;
        var upstream = randn(64, 16);
        var (rotation, _) = Through(GradientEstimator.RotationTrick, e, q, upstream);
        var (straight, _) = Through(GradientEstimator.StraightThrough, e, q, upstream);
        Assert.True(rotation.allclose(straight, rtol: 0, atol: 1e-6), $"max difference {(rotation - straight).abs().max().item<float>()}");
        Assert.True(rotation.allclose(q, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Encoder_gradient_is_the_upstream_gradient_rotated_and_scaled_by_the_norm_ratio()
    {
        manual_seed(32);
        var e = randn(50, 8);
        var q = randn(50, 8) * 2;
        var g = randn(50, 8);
        var (_, rotated) = Through(GradientEstimator.RotationTrick, e, q, g);
        var (_, straight) = Through(GradientEstimator.StraightThrough, e, q, g);
        Assert.True(straight.allclose(g), "straight-through passes the upstream gradient unchanged");
        Assert.False(rotated.allclose(g, atol: 1e-3), "the rotation trick must change the gradient");
        for (int i = 0; i < 50; i++)
        {
            double ratio = q[i].norm().item<float>() / e[i].norm().item<float>();
            // ‖∇e‖ = ‖q‖/‖e‖ · ‖g‖: a rotation keeps the length, the scale multiplies it.
            Assert.Equal(ratio * g[i].norm().item<float>(), rotated[i].norm().item<float>(), 3);
            // The gradient makes the angle with e that the upstream gradient makes with q.
            Assert.Equal(Cosine(g[i], q[i]), Cosine(rotated[i], e[i]), 4);
        }
    }

    [Fact]
    public void A_vector_already_on_its_code_gets_the_gradient_unchanged()
    {
        manual_seed(33);
        var e = randn(10, 6);
        var g = randn(10, 6);
        var (_, rotated) = Through(GradientEstimator.RotationTrick, e, e.clone(), g);
        Assert.True(rotated.allclose(g, atol: 1e-5));
    }
}
