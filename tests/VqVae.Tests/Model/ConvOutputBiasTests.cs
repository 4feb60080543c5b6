using VqVae.Checkpoints;
using VqVae.Model;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Tests.Model;

/// <summary>
/// The conv decoder starts at the data's mean colour (see ConvDecoder.InitialiseOutputBias): from
/// sigmoid(0) = 0.5 the first Adam steps on mostly-black digits saturated the sigmoid for good.
/// </summary>
public class ConvOutputBiasTests
{
    static TrainingLoop ConvLoop(Tensor images, int channels) => new(new TrainingOptions
    {
        Epochs = 0, BatchSize = 16, Device = ComputeDevice.Cpu, Seed = 5,
        Model = new ModelConfig
        {
            Arch = Arch.Conv, Channels = channels, Height = 8, Width = 8, PatchSize = 2,
            HiddenSize = 8, CodebookSize = 8, ConvChannels = 8,
        },
    }, images, images);

    [Fact]
    public void An_untrained_conv_model_outputs_each_channels_mean_pixel()
    {
        manual_seed(3);
        // Channel means 0.1, 0.5 and 0.8: dark, mid and light.
        var means = tensor(new float[] { 0.1f, 0.5f, 0.8f }).reshape(1, 3, 1, 1);
        var images = (means + 0.05f * randn(32, 3, 8, 8)).clamp(0, 1);
        var loop = ConvLoop(images, channels: 3);
        using var _ = no_grad();
        var output = loop.Model.forward(images).Reconstruction.mean(new long[] { 0, 2, 3 });
        var expected = images.mean(new long[] { 0, 2, 3 });
        Assert.True(output.allclose(expected, atol: 0.03),
            $"outputs {string.Join(", ", output.data<float>().ToArray())} against channel means {string.Join(", ", expected.data<float>().ToArray())}");
    }
}
