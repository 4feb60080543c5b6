using VqVae.Exporter.Onnx;
using VqVae.Model;

namespace VqVae.Exporter.Graphs;

/// <summary>
/// The reference post's patch model as ONNX nodes. Its convolutions have kernel = stride = p, so, as in the Torch
/// model (PatchMatmul), each is exported as one matrix product plus a rearrangement of pixels rather
/// than as Conv / ConvTranspose: ONNX Runtime's general convolutions run these shapes far below its
/// matrix-product speed. The rearrangements are placed where the tensor is small (the image's C
/// channels), never on the decoder's D-channel pixels, which are the largest tensor of the model.
/// </summary>
public static class PatchModelGraph
{
    /// <summary>image [N, C, H, W] → Conv(k = s = p) as a matrix product → ReLU → Linear → <paramref name="output"/> [N, h, w, D].</summary>
    /// <param name="int8">when given, the Linear (D×D, the encoder's large product) is int8; the first
    /// product, with only C·p·p inputs per row, stays float.</param>
    public static string Encoder(ModuleOnnxMapper m, PatchEncoder encoder, ModelConfig config, string image, string output, Int8Layers? int8 = null)
    {
        var name = m.NameOf(encoder);
        // [N·h·w, D], one row per patch: ReLU right after the product lets ONNX Runtime fuse it into the
        // Gemm, and the Linear on rows is a plain 2-D product; the rows are NHWC in memory already.
        var x = m.PatchConv2d(encoder.cnn, image, config.Height, config.Width);
        x = m.Relu(x, $"{name}.relu");
        x = int8 is null ? m.Linear(encoder.linear, x) : int8.Linear(encoder.linear, x);
        return m.Reshape(x, output, -1, config.LatentHeight, config.LatentWidth, encoder.linear.weight!.shape[0]);
    }

    /// <summary>
    /// latent [N, h, w, D] (NHWC, as the codebook lookup gives it) → ConvTranspose(k = s = p) as a matrix
    /// product → ReLU → Linear(D, C) → NCHW logits [N, C, H, W].
    /// </summary>
    /// <param name="int8">when given, the transposed convolution (the model's largest product) is int8;
    /// the last Linear, down to the image's C channels, stays float.</param>
    public static string Decoder(ModuleOnnxMapper m, PatchDecoder decoder, ModelConfig config, string latentNhwc, Int8Layers? int8 = null)
    {
        var name = m.NameOf(decoder);
        long h = config.LatentHeight, w = config.LatentWidth, p = config.PatchSize, c = config.Channels;
        // [N·h·w, p·p·D]: each latent position's p×p pixels, D channels each. ReLU right after the
        // product lets ONNX Runtime fuse it into the Gemm.
        var x = int8 is null ? m.PatchConvTranspose2d(decoder.cnn, latentNhwc) : int8.PatchConvTranspose2d(decoder.cnn, latentNhwc);
        x = m.Relu(x, $"{name}.relu");
        // The Linear acts on each pixel alone, so it runs on the pixels in patch order, one row each...
        x = m.Reshape(x, $"{name}.pixels", -1, decoder.linear.weight!.shape[1]);
        x = m.Linear(decoder.linear, x);                                           // [N·h·w·p·p, C]
        // ...and only its C-channel output is moved into image order (depth-to-space straight to NCHW).
        x = m.Reshape(x, $"{name}.patches", -1, h, w, p, p, c);
        x = m.Permute(x, $"{name}.nchw_patches", 0, 5, 1, 3, 2, 4);                // [N, C, h, p, w, p]
        return m.Reshape(x, $"{name}.nchw", -1, c, h * p, w * p);
    }
}
