using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Tests.Model;

/// <summary>
/// The patch decoder as a table of its K codes computes the same function as the direct decoder: on the
/// same batch, the same loss and the same gradient for every parameter, whatever the quantizer and its
/// gradient estimator do with the decoder input's gradient.
/// </summary>
/// <remarks>Seeds libtorch's global generator, so it runs with the other classes that do, alone.</remarks>
[Collection(GlobalGeneratorCollection.Name)]
public class DecoderTableTests
{
    const double Tolerance = 1e-5;

    public static TheoryData<string, GradientEstimator, CodebookUpdate> Cases => new()
    {
        { "vq", GradientEstimator.StraightThrough, CodebookUpdate.Loss },
        { "vq", GradientEstimator.StraightThroughToCodebook, CodebookUpdate.Loss },
        { "vq", GradientEstimator.RotationTrick, CodebookUpdate.Loss },
        { "vq", GradientEstimator.StraightThrough, CodebookUpdate.Ema },
        { "vq", GradientEstimator.RotationTrick, CodebookUpdate.Ema },
        { "fsq", GradientEstimator.StraightThrough, CodebookUpdate.Loss },
    };

    static VqVaeModel Model(string quantizer, GradientEstimator estimator, CodebookUpdate update, int channels, int patch)
    {
        var config = new ModelConfig { Channels = channels, Height = 16, Width = 16, PatchSize = patch, HiddenSize = 24, CodebookSize = 12 };
        if (quantizer == "fsq") config = config with { Quantizer = QuantizerKind.Fsq, Levels = FsqLevels.Parse("3,5,3"), CodebookSize = 45 };
        return new VqVaeModel(config, new CodebookTraining { Estimator = estimator, Update = update });
    }

    /// <summary>The loss and every parameter's gradient of one forward and backward pass on x.</summary>
    static (double Loss, Dictionary<string, Tensor?> Gradients) Step(VqVaeModel model, Tensor x, DecoderPath path)
    {
        model.DecoderPath = path;
        model.zero_grad();
        var loss = VqVaeModel.Loss(model.forward(x), x).Total;
        loss.backward();
        return (loss.item<float>(), model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.clone()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_and_every_gradient_match_the_direct_decoder(string quantizer, GradientEstimator estimator, CodebookUpdate update)
    {
        foreach (var (channels, patch) in new[] { (1, 4), (3, 2) })
        {
            manual_seed(71);
            var model = Model(quantizer, estimator, update, channels, patch);
            var x = rand(6, channels, 16, 16);
            // Codes spread over the batch's encoder outputs, so the table is gathered from many codes.
            if (quantizer == "vq")
                using (no_grad()) model.codebook.Assign(model.Encode(x).reshape(-1, 24)[..12].clone());
            else
                using (no_grad()) ((VqVae.Model.Quantizers.FiniteScalarQuantizer)model.quantizer).project_in.weight!.mul_(40);
            int used = (int)model.quantizer.Codes(model.Encode(x)).unique().Item1.numel();
            Assert.True(used > 3, $"only {used} codes in use: the test would not exercise the grouping by code");

            var (directLoss, direct) = Step(model, x, DecoderPath.Direct);
            var (tableLoss, table) = Step(model, x, DecoderPath.Table);

            Assert.True(Math.Abs(tableLoss - directLoss) <= Tolerance * Math.Abs(directLoss), $"loss {tableLoss} vs {directLoss} (C={channels}, p={patch})");
            foreach (var (name, expected) in direct)
            {
                var actual = table[name];
                Assert.Equal(expected is null, actual is null);
                if (expected is null) continue;
                double scale = expected.norm().item<float>();
                double error = (actual! - expected).norm().item<float>();
                Assert.True(scale > 0 || error == 0, $"{name}: no gradient on the direct path, {error} on the table's");
                Assert.True(error <= Tolerance * scale, $"{name}: gradient differs by {error / scale:E2} relative (C={channels}, p={patch})");
            }
        }
    }

    [Fact]
    public void The_encoder_gets_a_gradient_only_through_the_decoder_input()
    {
        // Straight-through with EMA: the encoder's only gradient besides commitment comes through the decoder input,
        // so a table path that dropped the Jacobian products would leave it visibly different.
        manual_seed(72);
        var model = Model("vq", GradientEstimator.StraightThrough, CodebookUpdate.Ema, 1, 4);
        var x = rand(4, 1, 16, 16);
        model.DecoderPath = DecoderPath.Table;
        var output = model.forward(x);
        nn.functional.mse_loss(output.Reconstruction, x).backward();
        Assert.True(model.encoder.parameters().All(p => p.grad is not null && p.grad.norm().item<float>() > 0));
    }

    [Fact]
    public void Jacobians_are_the_derivatives_of_each_codes_logits()
    {
        manual_seed(73);
        var decoder = new PatchDecoder(hiddenSize: 6, channels: 3, patchSize: 2);
        var latents = randn(5, 6);
        var jacobians = PatchDecoderTable.Jacobians(decoder, latents);   // [K, p·p·C, D]
        for (int k = 0; k < 5; k++)
        {
            var leaf = latents[k].unsqueeze(0).clone().requires_grad_(true);
            var logits = PatchDecoderTable.Logits(decoder, leaf).reshape(-1);
            for (int output = 0; output < logits.shape[0]; output++)
            {
                var row = autograd.grad(new[] { logits[output] }, new[] { leaf }, retain_graph: true)[0].reshape(-1);
                Assert.True(row.allclose(jacobians[k, output], rtol: 1e-5, atol: 1e-6), $"code {k}, output {output}");
            }
        }
    }

    [Theory]
    [InlineData(Arch.Conv, QuantizerKind.Vq)]
    [InlineData(Arch.Patch, QuantizerKind.Rvq)]
    public void A_table_is_refused_where_a_position_is_not_one_code(Arch arch, QuantizerKind quantizer)
    {
        var config = new ModelConfig { Arch = arch, Quantizer = quantizer, Depth = quantizer == QuantizerKind.Rvq ? 2 : 1 };
        var e = Assert.Throws<ArgumentException>(() => DecoderPathChoice.Resolve(DecoderPath.Table, config, 256));
        Assert.StartsWith("--decoder-path table: ", e.Message);
        Assert.Equal(DecoderPath.Direct, DecoderPathChoice.Resolve(DecoderPath.Auto, config, 256));
    }

    [Fact]
    public void Auto_takes_the_table_when_K_is_small_against_a_batchs_positions()
    {
        var mnist = new ModelConfig();                                  // 7×7 positions, K = 128
        Assert.Equal(DecoderPath.Table, DecoderPathChoice.Resolve(DecoderPath.Auto, mnist, 256));
        Assert.Equal(DecoderPath.Direct, DecoderPathChoice.Resolve(DecoderPath.Auto, mnist, 4));   // 196 positions
        Assert.Equal(DecoderPath.Direct, DecoderPathChoice.Resolve(DecoderPath.Direct, mnist, 256));
    }
}
