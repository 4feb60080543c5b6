using TorchSharp;
using VqVae.Imaging;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Prior;

/// <summary>Draws code maps from a prior in TorchSharp, position by position in raster order, and pictures them.</summary>
public static class PriorSampling
{
    /// <summary>N code maps [N, h, w]; <paramref name="labels"/> int64 [N] for a conditional prior.</summary>
    public static Tensor Sample(GatedPixelCnn prior, long count, Tensor? labels, double temperature, Generator generator)
    {
        var c = prior.Config;
        var device = prior.embedding.weight!.device;
        prior.eval();
        using var _ = no_grad();
        var codes = zeros(new long[] { count, c.Height, c.Width }, dtype: ScalarType.Int64, device: device);
        for (int i = 0; i < c.Height; i++)
            for (int j = 0; j < c.Width; j++)
            {
                using var scope = NewDisposeScope();
                var logits = prior.Forward(codes, labels).select(2, i).select(2, j) / temperature;   // [N, K]
                var next = multinomial(nn.functional.softmax(logits, 1).cpu(), 1, generator: generator).squeeze(1);
                codes[TensorIndex.Colon, TensorIndex.Single(i), TensorIndex.Single(j)] = next.to(device);
            }
        return codes;
    }

    /// <summary>
    /// samples.png: ten samples per row, decoded by the VQ-VAE; one row per class for a conditional
    /// prior; otherwise eight rows for maps of up to 64 codes and two for larger ones, since drawing
    /// costs one pass over the whole map per position (20×20 maps: 400 passes per row). The same
    /// generator seed each time, so epochs compare.
    /// </summary>
    public static void SaveGrid(string path, GatedPixelCnn prior, VqVaeModel vqvae, int seed, int columns = 10)
    {
        using var scope = NewDisposeScope();
        var c = prior.Config;
        int rows = c.IsConditional ? c.ClassCount : c.CodeCount <= 64 ? 8 : 2;
        var device = prior.embedding.weight!.device;
        var labels = c.IsConditional ? arange(rows, device: device).repeat_interleave(columns) : null;
        var codes = Sample(prior, rows * columns, labels, 1.0, new Generator((ulong)seed));
        Tensor images;
        using (no_grad()) images = vqvae.DecodeCodes(codes.to(vqvae.parameters().First().device)).cpu();
        var m = vqvae.Config;
        ImageGrid.Save(path, images.data<float>().ToArray(), rows * columns, m.Channels, m.Height, m.Width, columns, scale: m.Height < 32 ? 2 : 1);
    }
}
