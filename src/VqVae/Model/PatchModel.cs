using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Model;

// The reference post's patch model: each p×p patch is encoded on its own (a ViT-style patch embedding without
// position encoding) and decoded on its own. Names match the post's (cnn, relu, linear) so its
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

    public override Tensor forward(Tensor x) => linear.forward(functional.relu(PatchMatmul.Conv(x, cnn)));
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
        linear.forward(PatchMatmul.ConvTranspose(latent, cnn).relu_()).permute(0, 3, 1, 2);
}

/// <summary>
/// A convolution whose kernel equals its stride sees each p×p patch once, so it is exactly one matrix
/// product after a space-to-depth rearrangement (and its transpose one product before a
/// depth-to-space). Written that way it runs faster on CPU than libtorch's general convolution and
/// yields NHWC directly, which the Linear layer after it wants. Same weights, same results.
/// </summary>
public static class PatchMatmul
{
    /// <summary>Conv2d(k = s = p): x [N, C, H, W] → [N, H/p, W/p, D] (NHWC).</summary>
    public static Tensor Conv(Tensor x, Conv2d conv)
    {
        var w = conv.weight!;                              // [D, C, p, p]
        long n = x.shape[0], c = x.shape[1], p = w.shape[2], h = x.shape[2] / p, wd = x.shape[3] / p, d = w.shape[0];
        var patches = x.reshape(n, c, h, p, wd, p).permute(0, 2, 4, 1, 3, 5).reshape(n * h * wd, c * p * p);
        return addmm(conv.bias!, patches, w.reshape(d, c * p * p).t(), beta: 1, alpha: 1).view(n, h, wd, d);
    }

    /// <summary>ConvTranspose2d(k = s = p): latent [N, D, h, w] → [N, h·p, w·p, D_out] (NHWC), a fresh tensor the caller may change in place.</summary>
    public static Tensor ConvTranspose(Tensor latent, ConvTranspose2d conv)
    {
        var w = conv.weight!;                              // [D_in, D_out, p, p]
        long n = latent.shape[0], h = latent.shape[2], wd = latent.shape[3];
        long dIn = w.shape[0], dOut = w.shape[1], p = w.shape[2];
        var z = latent.permute(0, 2, 3, 1).reshape(n * h * wd, dIn);
        var pixels = z.matmul(w.reshape(dIn, dOut * p * p))
            .view(n, h, wd, dOut, p, p).permute(0, 1, 4, 2, 5, 3).reshape(n, h * p, wd * p, dOut);
        // In place: this is the model's largest tensor, and the copy above is already ours to change.
        return pixels.add_(conv.bias!);
    }
}
