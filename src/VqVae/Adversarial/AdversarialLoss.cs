using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Adversarial;

/// <summary>
/// The adversarial term of VQGAN (Esser et al. 2021) as taming-transformers and LlamaGen train it: from step
/// <see cref="AdversarialTraining.DiscStart"/> on, the model's loss gains λ·L_G with L_G = −mean D(x̂), and the
/// PatchGAN discriminator D takes one hinge-loss step per batch. λ = w · ‖∇L_rec‖ / (‖∇L_G‖ + 1e-4), both gradients
/// taken at the decoder's last layer, so the adversarial push is as strong there as the reconstruction's whatever
/// their scales. Before the start step nothing of this runs (the discriminator is not trained either, as in taming);
/// with a warm-up, the discriminator trains alone for <see cref="AdversarialTraining.DiscWarmup"/> steps before λ·L_G joins.
/// </summary>
public sealed class AdversarialLoss
{
    readonly AdversarialTraining settings;

    public PatchDiscriminator Discriminator { get; }
    public TorchSharp.Modules.Adam Optimizer { get; }

    public AdversarialLoss(AdversarialTraining settings, int channels, double learningRate, Device device)
    {
        this.settings = settings;
        Discriminator = new PatchDiscriminator(channels);
        Discriminator.to(device);
        // β = (0.5, 0.9), taming's and LlamaGen's for the discriminator.
        Optimizer = optim.Adam(Discriminator.parameters(), lr: learningRate, beta1: 0.5, beta2: 0.9);
    }

    /// <summary>Whether the discriminator trains at this optimizer step (counted from 0 over the whole run).</summary>
    public bool IsActive(long step) => step >= settings.DiscStart;

    /// <summary>Whether λ·L_G is part of the model's loss at this step: after the discriminator's warm-up.</summary>
    public bool DrivesTheModel(long step) => step >= (long)settings.DiscStart + settings.DiscWarmup;

    /// <summary>The model's loss for this step: <paramref name="loss"/>'s total, plus λ·L_G once the term is on.</summary>
    public Tensor GeneratorLoss(VqVaeModel model, VqVaeOutput output, VqVaeLoss loss, long step)
    {
        if (!DrivesTheModel(step)) return loss.Total;
        Discriminator.train();
        var generator = -Discriminator.forward(output.Reconstruction).mean();
        return loss.Total + AdaptiveWeight(loss.Reconstruction, generator, LastLayer(model)) * generator;
    }

    /// <summary>One hinge-loss step of the discriminator on the batch and its (detached) reconstructions, once the term is on.</summary>
    public void DiscriminatorStep(Tensor images, Tensor reconstructions, long step)
    {
        if (!IsActive(step)) return;
        Discriminator.train();
        var real = Discriminator.forward(images.detach());
        var fake = Discriminator.forward(reconstructions.detach());
        var hinge = 0.5 * (nn.functional.relu(1 - real).mean() + nn.functional.relu(1 + fake).mean());
        Optimizer.zero_grad();
        hinge.backward();
        Optimizer.step();
    }

    /// <summary>λ = w · ‖∂L_rec/∂W‖ / (‖∂L_G/∂W‖ + 1e-4), clamped to [0, 1e4] and held constant (no gradient through it).</summary>
    public Tensor AdaptiveWeight(Tensor reconstruction, Tensor generator, Tensor lastLayer)
    {
        var rec = autograd.grad([reconstruction], [lastLayer], retain_graph: true)[0];
        var adv = autograd.grad([generator], [lastLayer], retain_graph: true)[0];
        return (rec.norm() / (adv.norm() + 1e-4)).clamp(0, 1e4).detach() * settings.DiscWeight;
    }

    /// <summary>The weight of the decoder's last layer: the conv decoder's last transposed convolution, the patch decoder's linear map.</summary>
    public static Tensor LastLayer(VqVaeModel model) => model.decoder switch
    {
        ConvDecoder conv => ((TorchSharp.Modules.ConvTranspose2d)conv.up[conv.up.Count - 1]).weight!,
        PatchDecoder patch => patch.linear.weight!,
        _ => throw new InvalidOperationException($"no last layer known for a {model.decoder.GetType().Name}"),
    };

    /// <summary>What last/ holds of it, so a resumed run goes on with the same discriminator.</summary>
    public IEnumerable<CheckpointPart> CheckpointParts(Device device) =>
    [
        CheckpointPart.Weights(Discriminator, device, DiscriminatorFile),
        CheckpointPart.Optimizer(Optimizer, DiscriminatorOptimizerFile),
    ];

    public const string DiscriminatorFile = "discriminator.bin";
    public const string DiscriminatorOptimizerFile = "discriminator-optimizer.bin";
}
