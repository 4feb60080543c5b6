using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Model;

// The VQ-VAE paper's image model (van den Oord et al. 2017, section 4.1): strided 4×4 convolutions
// down by the patch size, two residual blocks, and a mirrored decoder with transposed convolutions.

/// <summary>ReLU → 3×3 conv → ReLU → 1×1 conv, added to the input.</summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    public readonly Conv2d conv3;
    public readonly Conv2d conv1;

    public ResidualBlock(int channels) : base("residual")
    {
        conv3 = Conv2d(channels, channels, kernel_size: 3, padding: 1);
        conv1 = Conv2d(channels, channels, kernel_size: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        x + conv1.forward(functional.relu(conv3.forward(functional.relu(x))));
}

/// <summary>log2(p) stride-2 4×4 convolutions, a 3×3 conv, two residual blocks, ReLU, a 1×1 conv to D; NHWC out.</summary>
public sealed class ConvEncoder : Module<Tensor, Tensor>
{
    public readonly ModuleList<Module<Tensor, Tensor>> down = new();
    public readonly Conv2d mix;
    public readonly ModuleList<ResidualBlock> residuals = new();
    public readonly Conv2d project;

    public ConvEncoder(ModelConfig config) : base("encoder")
    {
        int ch = config.ConvChannels;
        int steps = ConvSteps(config.PatchSize);
        for (int i = 0; i < steps; i++)
            down.Add(Conv2d(i == 0 ? config.Channels : ch, ch, kernel_size: 4, stride: 2, padding: 1));
        mix = Conv2d(ch, ch, kernel_size: 3, padding: 1);
        residuals.Add(new ResidualBlock(ch));
        residuals.Add(new ResidualBlock(ch));
        project = Conv2d(ch, config.HiddenSize, kernel_size: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        foreach (var conv in down) x = functional.relu(conv.forward(x));
        x = mix.forward(x);
        foreach (var block in residuals) x = block.forward(x);
        return project.forward(functional.relu(x)).permute(0, 2, 3, 1);
    }

    /// <summary>The conv model halves the size per step, so the patch size must be a power of two.</summary>
    internal static int ConvSteps(int patchSize)
    {
        int steps = (int)Math.Round(Math.Log2(patchSize));
        if (patchSize < 2 || 1 << steps != patchSize)
            throw new ArgumentException($"the conv model needs a power-of-two patch size ≥ 2, not {patchSize}");
        return steps;
    }
}

/// <summary>Mirror of the encoder: 3×3 conv from D, two residual blocks, ReLU, log2(p) stride-2 transposed convs; NCHW logits out.</summary>
public sealed class ConvDecoder : Module<Tensor, Tensor>
{
    public readonly Conv2d mix;
    public readonly ModuleList<ResidualBlock> residuals = new();
    public readonly ModuleList<Module<Tensor, Tensor>> up = new();

    public ConvDecoder(ModelConfig config) : base("decoder")
    {
        int ch = config.ConvChannels;
        int steps = ConvEncoder.ConvSteps(config.PatchSize);
        mix = Conv2d(config.HiddenSize, ch, kernel_size: 3, padding: 1);
        residuals.Add(new ResidualBlock(ch));
        residuals.Add(new ResidualBlock(ch));
        for (int i = 0; i < steps; i++)
            up.Add(ConvTranspose2d(ch, i == steps - 1 ? config.Channels : ch, kernel_size: 4, stride: 2, padding: 1));
        RegisterComponents();
    }

    /// <summary>
    /// Sets the last layer's bias to the logit of each channel's mean pixel, so the untrained decoder
    /// outputs the data's average colour instead of sigmoid(0) = 0.5.
    /// </summary>
    /// <remarks>
    /// Why: MNIST is mostly black, so from 0.5 every first gradient says "darker" at once; Adam moves all
    /// weights that way together, the logits overshoot to −40 within ten steps, the sigmoid saturates and
    /// its gradient underflows to exactly zero — the decoder then outputs black for good (validation MSE
    /// stuck at 0.1085). Starting at the mean removes that shared push (docs/QUALITY.md).
    /// </remarks>
    public void InitialiseOutputBias(Tensor channelMeans)
    {
        using var _ = no_grad();
        var mean = channelMeans.clamp(1e-3, 1 - 1e-3);
        ((ConvTranspose2d)up[up.Count - 1]).bias!.copy_((mean / (1 - mean)).log());
    }

    public override Tensor forward(Tensor latent)
    {
        var x = mix.forward(latent);
        foreach (var block in residuals) x = block.forward(x);
        x = functional.relu(x);
        for (int i = 0; i < up.Count; i++)
        {
            x = up[i].forward(x);
            if (i < up.Count - 1) x = functional.relu(x);
        }
        return x;
    }
}
