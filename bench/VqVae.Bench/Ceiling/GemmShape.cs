namespace VqVae.Bench;

/// <summary>One matrix product [M, K] × [K, N] and which layer of which preset it stands for.</summary>
public sealed record GemmShape(string Use, long M, long K, long N)
{
    public double Flops => 2.0 * M * K * N;
    public string Dims => $"[{M}, {K}]×[{K}, {N}]";

    /// <summary>
    /// The largest products of a preset's training step, as the patch model computes them: the
    /// transposed convolution as latents × weight [D, D·p²], the encoder Linear, the distances z·Eᵀ.
    /// </summary>
    public static IEnumerable<GemmShape> Largest(string preset, ModelConfig c, int batch, bool all)
    {
        long latents = (long)batch * c.LatentHeight * c.LatentWidth, d = c.HiddenSize;
        yield return new GemmShape($"{preset} ConvTranspose2d", latents, d, d * c.PatchSize * c.PatchSize);
        if (!all) yield break;
        yield return new GemmShape($"{preset} encoder Linear", latents, d, d);
        yield return new GemmShape($"{preset} distances z·Eᵀ", latents, d, c.CodebookSize);
    }
}
