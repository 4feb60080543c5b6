using VqVaeMl.Common.Imaging;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>The mean SSIM of validation batches, image by image on the host (<see cref="Ssim"/>).</summary>
internal sealed class ValidationSsim(int channels, int height, int width)
{
    double sum;
    long images;

    /// <summary>A sum for this model's images, or null where SSIM is not defined (sides under the window).</summary>
    public static ValidationSsim? For(ModelConfig config) =>
        Ssim.IsDefined(config.Height, config.Width) ? new ValidationSsim(config.Channels, config.Height, config.Width) : null;

    /// <summary>Adds each image of a batch: inputs and reconstructions [N, C, H, W] in 0..1.</summary>
    public void Add(Tensor inputs, Tensor reconstructions)
    {
        var x = inputs.detach().cpu().contiguous().data<float>().ToArray();
        var y = reconstructions.detach().cpu().contiguous().data<float>().ToArray();
        int size = channels * height * width;
        for (int i = 0; i < x.Length / size; i++)
            sum += Ssim.Mean(x.AsSpan(i * size, size), y.AsSpan(i * size, size), channels, height, width);
        images += x.Length / size;
    }

    public double Mean => images > 0 ? sum / images : double.NaN;
}
