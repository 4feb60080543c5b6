using VqVae.Exporter.Onnx;
using VqVae.Model;

namespace VqVae.Exporter.Graphs;

/// <summary>The seed's patch model as ONNX nodes, mirroring PatchEncoder.forward and PatchDecoder.forward line by line.</summary>
public static class PatchModelGraph
{
    /// <summary>image [N, C, H, W] → Conv(k = s = p) → ReLU → NHWC → Linear → <paramref name="output"/> [N, h, w, D].</summary>
    public static string Encoder(ModuleOnnxMapper m, PatchEncoder encoder, string image, string output)
    {
        var name = m.NameOf(encoder);
        var x = m.Conv2d(encoder.cnn, image);
        x = m.Relu(x, $"{name}.relu");
        x = m.Permute(x, $"{name}.nhwc", 0, 2, 3, 1);
        return m.Linear(encoder.linear, x, output);
    }

    /// <summary>latent [N, D, h, w] → ConvTranspose(k = s = p) → ReLU → NHWC → Linear(D, C) → NCHW logits.</summary>
    public static string Decoder(ModuleOnnxMapper m, PatchDecoder decoder, string latent)
    {
        var name = m.NameOf(decoder);
        var x = m.ConvTranspose2d(decoder.cnn, latent);
        x = m.Relu(x, $"{name}.relu");
        x = m.Permute(x, $"{name}.nhwc", 0, 2, 3, 1);
        x = m.Linear(decoder.linear, x);
        return m.Permute(x, $"{name}.nchw", 0, 3, 1, 2);
    }
}
