using VqVae.Model;
using static TorchSharp.torch;

namespace VqVaeMl.MlNet.Tests;

/// <summary>The same image through the TorchSharp model: codes, reconstruction, and the distances behind each code.</summary>
internal static class TorchReference
{
    public sealed record Result(long[] Codes, float[] Reconstruction, float[,] Distances);

    public static Result Run(VqVaeModel model, float[] pixels)
    {
        var c = model.Config;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = tensor(pixels, [1, c.Channels, c.Height, c.Width]);
        var ze = model.Encode(x);
        var (codes, _) = model.Quantize(ze);
        var recon = model.DecodeCodes(codes);
        // Plain squared distances from every latent to every codebook vector, to judge any disagreement.
        var flat = ze.reshape(-1, c.HiddenSize);
        var d = (flat.unsqueeze(1) - model.codebook.weight.unsqueeze(0)).pow(2).sum(-1);
        var dist = new float[d.shape[0], d.shape[1]];
        var values = d.data<float>().ToArray();
        for (int i = 0; i < dist.GetLength(0); i++)
            for (int k = 0; k < dist.GetLength(1); k++)
                dist[i, k] = values[i * dist.GetLength(1) + k];
        return new Result(codes.data<long>().ToArray(), recon.data<float>().ToArray(), dist);
    }

    /// <summary>Code grid (h·w, row-major) → reconstruction, through the TorchSharp decoder.</summary>
    public static float[] Decode(VqVaeModel model, long[] codes)
    {
        var c = model.Config;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.DecodeCodes(tensor(codes, [1, c.LatentHeight, c.LatentWidth])).data<float>().ToArray();
    }
}
