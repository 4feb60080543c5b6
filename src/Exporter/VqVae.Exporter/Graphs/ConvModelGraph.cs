using TorchSharp.Modules;
using VqVae.Exporter.Onnx;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Exporter.Graphs;

/// <summary>The convolutional VQ-VAE as ONNX nodes, mirroring ConvEncoder.forward and ConvDecoder.forward.</summary>
public static class ConvModelGraph
{
    /// <summary>log2(p) × (Conv 4×4 s2 → ReLU), Conv 3×3, residual blocks, ReLU, Conv 1×1 to D, NHWC → <paramref name="output"/>.</summary>
    public static string Encoder(ModuleOnnxMapper m, ConvEncoder encoder, string image, string output)
    {
        var name = m.NameOf(encoder);
        var x = image;
        foreach (var conv in encoder.down) x = m.Relu(m.Conv2d(AsConv(conv), x), $"{m.NameOf(conv)}.relu");
        x = m.Conv2d(encoder.mix, x);
        foreach (var block in encoder.residuals) x = ResidualBlock(m, block, x);
        x = m.Relu(x, $"{name}.relu");
        x = m.Conv2d(encoder.project, x);
        return m.Permute(x, output, 0, 2, 3, 1);
    }

    /// <summary>latent [N, h, w, D] → NCHW, Conv 3×3, residual blocks, ReLU, log2(p) transposed convs with ReLU between → NCHW logits.</summary>
    public static string Decoder(ModuleOnnxMapper m, ConvDecoder decoder, string latentNhwc)
    {
        var name = m.NameOf(decoder);
        var latent = m.Permute(latentNhwc, "decoder.z_q_nchw", 0, 3, 1, 2);
        var x = m.Conv2d(decoder.mix, latent);
        foreach (var block in decoder.residuals) x = ResidualBlock(m, block, x);
        x = m.Relu(x, $"{name}.relu");
        for (int i = 0; i < decoder.up.Count; i++)
        {
            var up = decoder.up[i] as ConvTranspose2d
                ?? throw new NotSupportedException($"{m.NameOf(decoder.up[i])}: expected ConvTranspose2d, found {decoder.up[i].GetType().Name}");
            x = m.ConvTranspose2d(up, x);
            if (i < decoder.up.Count - 1) x = m.Relu(x, $"{m.NameOf(up)}.relu");
        }
        return x;
    }

    /// <summary>x + conv1(relu(conv3(relu(x)))).</summary>
    public static string ResidualBlock(ModuleOnnxMapper m, ResidualBlock block, string input)
    {
        var name = m.NameOf(block);
        return m.Residual(block, input, x =>
        {
            var h = m.Relu(x, $"{name}.relu0");
            h = m.Conv2d(block.conv3, h);
            h = m.Relu(h, $"{name}.relu1");
            return m.Conv2d(block.conv1, h);
        });
    }

    static Conv2d AsConv(nn.Module module) =>
        module as Conv2d ?? throw new NotSupportedException($"expected Conv2d in the encoder's down path, found {module.GetType().Name}");
}
