namespace VqVae.Bench;

/// <summary>
/// Multiply-adds of one image through the reference post's patch model, counted from its configuration. Each
/// layer is a matrix product (the patch convolutions see every pixel once):
/// encoder Conv2d H·W·C·D, encoder Linear h·w·D², distances to the codebook h·w·K·D, decoder
/// ConvTranspose2d H·W·D², decoder Linear H·W·D·C. Element-wise work (ReLU, sigmoid, losses) is left out.
/// </summary>
public sealed record ModelFlops(long EncoderConv, long EncoderLinear, long Distances, long DecoderConvTranspose, long DecoderLinear)
{
    public long ForwardMacs => EncoderConv + EncoderLinear + Distances + DecoderConvTranspose + DecoderLinear;
    /// <summary>One multiply-add is two floating-point operations.</summary>
    public double ForwardFlops => 2.0 * ForwardMacs;
    /// <summary>Forward plus backward: the usual estimate of 3× the forward pass (two products per product in backward).</summary>
    public double TrainingFlops => 3 * ForwardFlops;

    /// <summary>
    /// FLOPs per image of a training step on the table path (<c>--decoder-path table</c>), the work it really does:
    /// the encoder and distances as directly (3× forward); per batch, the K codes' decoder (forward, and backward
    /// to the weights only: 2×) and their Jacobians K·p²·C·D²; per position, the Jacobian product J·v of P = p²·C
    /// outputs and its gradient (2·P·D).
    /// </summary>
    public static double TableTrainingFlops(ModelConfig c, int batchSize)
    {
        var f = Of(c);
        long d = c.HiddenSize, k = c.CodebookSize, pixelsPerCode = (long)c.PatchSize * c.PatchSize;
        long perCode = c.Channels * pixelsPerCode, latents = (long)c.LatentHeight * c.LatentWidth;
        double perBatch = 2.0 * k * pixelsPerCode * (d * d + d * c.Channels) + (double)k * perCode * d * d;
        double perImage = 3.0 * (f.EncoderConv + f.EncoderLinear + f.Distances) + perBatch / batchSize + 2.0 * latents * perCode * d;
        return 2 * perImage;
    }

    public static ModelFlops Of(ModelConfig c)
    {
        if (c.Arch != Arch.Patch) throw new NotSupportedException($"FLOPs are counted for the patch model only, not '{KebabCase.Name(c.Arch)}'");
        long pixels = (long)c.Height * c.Width, latents = (long)c.LatentHeight * c.LatentWidth;
        long d = c.HiddenSize;
        return new ModelFlops(
            EncoderConv: pixels * c.Channels * d,
            EncoderLinear: latents * d * d,
            Distances: latents * c.CodebookSize * d,
            DecoderConvTranspose: pixels * d * d,
            DecoderLinear: pixels * d * c.Channels);
    }
}
