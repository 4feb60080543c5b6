using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Adversarial;

/// <summary>
/// The PatchGAN discriminator of pix2pix, as taming-transformers' VQGAN uses it: 4×4 convolutions, two of stride 2
/// (LeakyReLU 0.2, batch norm after the first), one of stride 1, then one to a single logit per patch — a map
/// [N, 1, h, w] that judges each overlapping patch of the image real or reconstructed. Two downsampling layers
/// and 32 filters rather than taming's three and 64: images here are 28 to 40 pixels wide (three would leave a
/// 28×28 digit one logit). Not part of the model: never exported.
/// </summary>
public sealed class PatchDiscriminator : Module<Tensor, Tensor>
{
    public const int Filters = 32;
    /// <summary>The smallest image side that leaves the last layer at least one patch.</summary>
    public const int MinImageSize = 12;

    readonly Sequential layers;

    public PatchDiscriminator(int channels) : base("discriminator")
    {
        layers = Sequential(
            Conv2d(channels, Filters, kernel_size: 4, stride: 2, padding: 1),
            LeakyReLU(0.2),
            Conv2d(Filters, 2 * Filters, kernel_size: 4, stride: 2, padding: 1, bias: false),
            BatchNorm2d(2 * Filters),
            LeakyReLU(0.2),
            Conv2d(2 * Filters, 4 * Filters, kernel_size: 4, stride: 1, padding: 1, bias: false),
            BatchNorm2d(4 * Filters),
            LeakyReLU(0.2),
            Conv2d(4 * Filters, 1, kernel_size: 4, stride: 1, padding: 1));
        RegisterComponents();
        Initialise();
    }

    /// <summary>Images [N, C, H, W] in 0..1 → patch logits [N, 1, h, w] (the images are taken to −1..1 first, as taming's are).</summary>
    public override Tensor forward(Tensor images) => layers.forward(images * 2 - 1);

    /// <summary>DCGAN's initialisation, which taming's discriminator keeps: convolutions N(0, 0.02), batch-norm scales N(1, 0.02).</summary>
    void Initialise()
    {
        using var _ = no_grad();
        foreach (var module in layers.children())
        {
            if (module is Conv2d conv) init.normal_(conv.weight, 0, 0.02);
            else if (module is BatchNorm2d norm)
            {
                init.normal_(norm.weight, 1, 0.02);
                init.zeros_(norm.bias);
            }
        }
    }
}
