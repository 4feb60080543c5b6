using VqVae.Adversarial;
using VqVae.Checkpoints;
using VqVae.Model;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Tests.Adversarial;

/// <summary>The adversarial term's parts: the adaptive weight, the start step, and training with both architectures.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class AdversarialLossTests
{
    [Fact]
    public void The_adaptive_weight_is_the_ratio_of_the_two_gradients_norms()
    {
        var loss = new AdversarialLoss(new AdversarialTraining { DiscStart = 0, DiscWeight = 0.5 }, 1, 1e-3, CPU);
        var w = ones(3, requires_grad: true);
        // ∂/∂w of (w·a) is a, of (w·b) is b: λ = 0.5 · ‖a‖ / (‖b‖ + 1e-4).
        var a = tensor(new float[] { 3, 0, 4 });
        var b = tensor(new float[] { 0, 1, 0 });
        var lambda = loss.AdaptiveWeight((w * a).sum(), (w * b).sum(), w);
        Assert.Equal(0.5 * 5 / (1 + 1e-4), lambda.item<float>(), 5);
        Assert.False(lambda.requires_grad);
    }

    [Theory]
    [InlineData(28, 5)]
    [InlineData(40, 8)]
    [InlineData(PatchDiscriminator.MinImageSize, 1)]
    public void The_discriminator_judges_patches(int size, int patches)
    {
        using var discriminator = new PatchDiscriminator(3);
        Assert.Equal(new long[] { 2, 1, patches, patches }, discriminator.forward(rand(2, 3, size, size)).shape);
    }

    [Theory]
    [InlineData(Arch.Patch)]
    [InlineData(Arch.Conv)]
    public void Both_architectures_train_with_it_from_the_start_step_only(Arch arch)
    {
        manual_seed(2);
        var model = new ModelConfig { Arch = arch, Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 8, CodebookSize = 8, ConvChannels = 8 };
        var options = new TrainingOptions
        {
            Model = model, Epochs = 2, BatchSize = 8, LearningRate = 1e-3, Seed = 1, Device = ComputeDevice.Cpu, MaxStepsPerEpoch = 3,
            // Steps 0–2 (epoch 1) without it, 3–5 (epoch 2) with it.
            Adversarial = new AdversarialTraining { DiscStart = 3 },
        };
        var loop = new TrainingLoop(options, rand(24, 1, 28, 28), rand(8, 1, 28, 28));
        var initial = Weights(loop.Adversarial!.Discriminator);
        using var dir = new TempFolder();
        loop.Run(dir.Path, new AfterEpoch(epoch =>
        {
            bool moved = !Weights(loop.Adversarial.Discriminator).Zip(initial).All(p => p.First.equal(p.Second).all().item<bool>());
            Assert.Equal(epoch == 2, moved);
        }));
        Assert.True(loop.History.All(m => double.IsFinite(m.ValidationMse)));
    }

    [Fact]
    public void During_the_warm_up_the_discriminator_trains_and_the_model_loss_is_the_reconstructions_alone()
    {
        manual_seed(3);
        var model = new ModelConfig { Arch = Arch.Conv, Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 8, CodebookSize = 8, ConvChannels = 8 };
        using var vqvae = new VqVaeModel(model);
        var adversarial = new AdversarialLoss(new AdversarialTraining { DiscStart = 2, DiscWarmup = 3 }, 1, 1e-3, CPU);
        var x = rand(4, 1, 28, 28);
        var output = vqvae.forward(x);
        var loss = VqVaeModel.Loss(output, x);
        foreach (var (step, trains, drives) in new[] { (1L, false, false), (2L, true, false), (4L, true, false), (5L, true, true) })
        {
            Assert.Equal(trains, adversarial.IsActive(step));
            Assert.Equal(drives, adversarial.DrivesTheModel(step));
            var total = adversarial.GeneratorLoss(vqvae, output, loss, step);
            Assert.Equal(!drives, total.item<float>() == loss.Total.item<float>());
        }
        var before = Weights(adversarial.Discriminator);
        adversarial.DiscriminatorStep(x, output.Reconstruction, step: 2);
        Assert.False(Weights(adversarial.Discriminator).Zip(before).All(p => p.First.equal(p.Second).all().item<bool>()));
    }

    static List<Tensor> Weights(TorchSharp.torch.nn.Module module) => module.parameters().Select(p => p.detach().clone()).ToList();

    sealed class AfterEpoch(Action<int> done) : ITrainingObserver
    {
        public void EpochDone(EpochMetrics metrics, bool isBest) => done(metrics.Epoch);
    }
}
