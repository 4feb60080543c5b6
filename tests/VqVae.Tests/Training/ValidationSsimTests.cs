using VqVae.Checkpoints;
using VqVae.Model;
using VqVae.Training;
using VqVaeMl.Common.Imaging;
using static TorchSharp.torch;

namespace VqVae.Tests.Training;

/// <summary>The validation SSIM of an epoch is the mean of each image's SSIM, as vqvae-score computes it.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class ValidationSsimTests
{
    [Fact]
    public void The_epochs_SSIM_is_the_mean_over_images_of_the_shared_implementation()
    {
        manual_seed(4);
        var config = new ModelConfig { Channels = 3, Height = 12, Width = 12, PatchSize = 2, HiddenSize = 8, CodebookSize = 8 };
        using var model = new VqVaeModel(config);
        var images = rand(5, 3, 12, 12);
        // Batches of 2 (the last one short): the mean is over images, not batches.
        var metrics = Evaluator.Evaluate(model, images, batchSize: 2);

        model.eval();
        using var _ = no_grad();
        var reconstructions = model.forward(images).Reconstruction.contiguous().data<float>().ToArray();
        var inputs = images.contiguous().data<float>().ToArray();
        int size = 3 * 12 * 12;
        double expected = Enumerable.Range(0, 5)
            .Average(i => Ssim.Mean(inputs.AsSpan(i * size, size), reconstructions.AsSpan(i * size, size), 3, 12, 12));
        Assert.Equal(expected, metrics.ValidationSsim!.Value, 6);
    }

    [Fact]
    public void Images_smaller_than_the_window_have_no_SSIM()
    {
        var config = new ModelConfig { Channels = 1, Height = 8, Width = 8, PatchSize = 2, HiddenSize = 8, CodebookSize = 8 };
        using var model = new VqVaeModel(config);
        Assert.Null(Evaluator.Evaluate(model, rand(3, 1, 8, 8), batchSize: 4).ValidationSsim);
    }
}
