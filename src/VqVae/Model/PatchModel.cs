using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Model;

// The seed's patch model: each p×p patch is encoded on its own (a ViT-style patch embedding without
// position encoding) and decoded on its own. Names match the seed (cnn, relu, linear) so its
// state-dict keys read the same.

/// <summary>Conv2d(kernel = stride = p) → ReLU → Linear, output NHWC [N, H/p, W/p, D].</summary>
public sealed class PatchEncoder : Module<Tensor, Tensor>
{
    public readonly Conv2d cnn;
    public readonly Linear linear;

    public PatchEncoder(int channels, int hiddenSize, int patchSize) : base("encoder")
    {
        cnn = Conv2d(channels, hiddenSize, kernel_size: patchSize, stride: patchSize);
        linear = Linear(hiddenSize, hiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        linear.forward(functional.relu(cnn.forward(x)).permute(0, 2, 3, 1));
}

/// <summary>ConvTranspose2d(kernel = stride = p) → ReLU → Linear; NCHW latent in, NCHW logits out (sigmoid applied by the model).</summary>
public sealed class PatchDecoder : Module<Tensor, Tensor>
{
    public readonly ConvTranspose2d cnn;
    public readonly Linear linear;

    public PatchDecoder(int hiddenSize, int channels, int patchSize) : base("decoder")
    {
        cnn = ConvTranspose2d(hiddenSize, hiddenSize, kernel_size: patchSize, stride: patchSize);
        linear = Linear(hiddenSize, channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor latent) =>
        linear.forward(functional.relu(cnn.forward(latent)).permute(0, 2, 3, 1)).permute(0, 3, 1, 2);
}
