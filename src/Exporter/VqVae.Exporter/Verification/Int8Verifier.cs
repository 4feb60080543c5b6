using Microsoft.ML.OnnxRuntime;
using VqVae.Exporter.Graphs;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Exporter.Verification;

/// <summary>
/// How close an int8 export comes to the float32 model on the same images. int8 arithmetic cannot match
/// to 1e-6, so it is judged as a user sees it: the share of codes identical to float32's, and the
/// reconstruction quality (PSNR against the input images) lost.
/// </summary>
public sealed record Int8Report
{
    /// <summary>At least this share of codes identical to float32's.</summary>
    public const double MinCodesIdentical = 0.98;
    /// <summary>At most this many dB of reconstruction PSNR lost against float32's.</summary>
    public const double MaxPsnrLoss = 0.5;

    public int Images { get; init; }
    public bool UsedImages { get; init; }
    public long CodesCompared { get; init; }
    public long CodesIdentical { get; init; }
    /// <summary>
    /// Codes that differ but whose int8 choice is, on float32's own z_e, at most <see cref="NearTieGap"/>
    /// farther than float32's: two almost equally near codes that the int8 encoder's rounding tipped.
    /// </summary>
    public long NearTies { get; init; }
    public const double NearTieGap = 0.01;
    /// <summary>10·log10(1/MSE) of the reconstructions against the input images, MSE over all pixels of all images.</summary>
    public double Float32Psnr { get; init; }
    public double Int8Psnr { get; init; }
    /// <summary>The int8 chain's reconstructions measured against float32's, as PSNR (higher: closer).</summary>
    public double Int8VsFloat32Psnr { get; init; }

    /// <summary>The folder's graphs whose "precision" metadata is int8 (none when the decoder is a float32 table and the encoder float32).</summary>
    public IReadOnlyList<string> Int8Graphs { get; init; } = [];

    public double CodesIdenticalShare => CodesCompared == 0 ? 0 : (double)CodesIdentical / CodesCompared;
    public double PsnrLoss => Float32Psnr - Int8Psnr;
    public bool Passed => CodesIdenticalShare >= MinCodesIdentical && PsnrLoss <= MaxPsnrLoss;
}

/// <summary>
/// Runs the int8 graphs chained in ONNX Runtime (encoder → quantizer → decoder, as a consumer runs
/// them) beside the TorchSharp float32 model's forward pass on the same images, in batches.
/// </summary>
public static class Int8Verifier
{
    /// <param name="images">[M, C, H, W] flattened, 0..1: the run's validation images, or random ones when there are none.</param>
    public static Int8Report Verify(VqVaeModel model, string int8Dir, float[] images, bool usedImages, int batch = 64)
    {
        var c = model.Config;
        int imageSize = c.Channels * c.Height * c.Width;
        if (images.Length == 0 || images.Length % imageSize != 0)
            throw new ArgumentException($"images: {images.Length} values are not a whole number of {c.Channels}x{c.Height}x{c.Width} images");
        int count = images.Length / imageSize, codeCount = c.LatentHeight * c.LatentWidth;
        model.eval();
        using var encoder = new OrtGraph(Path.Combine(int8Dir, OnnxContract.EncoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        using var quantizer = new OrtGraph(Path.Combine(int8Dir, OnnxContract.QuantizerFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        using var decoder = new OrtGraph(Path.Combine(int8Dir, OnnxContract.DecoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);

        long identical = 0, nearTies = 0;
        var codebook = model.codebook.weight.detach().cpu().contiguous().data<float>().ToArray();
        double floatSquares = 0, int8Squares = 0, betweenSquares = 0;
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            var x = images.AsSpan(start * imageSize, n * imageSize).ToArray();
            long[] floatCodes;
            float[] floatRecon, floatZe;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var output = model.forward(tensor(x, new long[] { n, c.Channels, c.Height, c.Width }));
                floatCodes = output.Codes.cpu().contiguous().data<long>().ToArray();
                floatRecon = output.Reconstruction.cpu().contiguous().data<float>().ToArray();
                floatZe = output.ZE.cpu().contiguous().data<float>().ToArray();
            }
            var ze = (float[])encoder.Run(OnnxContract.Image, x, new long[] { n, c.Channels, c.Height, c.Width })[OnnxContract.ZE];
            var codes = (long[])quantizer.Run(OnnxContract.ZE, ze, new long[] { n, c.LatentHeight, c.LatentWidth, c.HiddenSize })[OnnxContract.Codes];
            var recon = (float[])decoder.Run(OnnxContract.Codes, codes, new long[] { n, c.LatentHeight, c.LatentWidth })[OnnxContract.Reconstruction];

            for (int i = 0; i < codes.Length; i++)
            {
                if (codes[i] == floatCodes[i]) { identical++; continue; }
                var z = floatZe.AsSpan(i * c.HiddenSize, c.HiddenSize);
                double nearest = CodeTies.SquaredDistance(z, Row(codebook, floatCodes[i], c.HiddenSize));
                double chosen = CodeTies.SquaredDistance(z, Row(codebook, codes[i], c.HiddenSize));
                if (chosen <= nearest * (1 + Int8Report.NearTieGap)) nearTies++;
            }
            floatSquares += SquaredError(x, floatRecon);
            int8Squares += SquaredError(x, recon);
            betweenSquares += SquaredError(floatRecon, recon);
        }
        double pixels = (double)count * imageSize;
        return new Int8Report
        {
            Images = count, UsedImages = usedImages,
            Int8Graphs = new[] { (OnnxContract.EncoderFile, encoder), (OnnxContract.QuantizerFile, quantizer), (OnnxContract.DecoderFile, decoder) }
                .Where(g => IsInt8(g.Item2)).Select(g => g.Item1).ToList(),
            CodesCompared = (long)count * codeCount, CodesIdentical = identical, NearTies = nearTies,
            Float32Psnr = Psnr(floatSquares / pixels), Int8Psnr = Psnr(int8Squares / pixels), Int8VsFloat32Psnr = Psnr(betweenSquares / pixels),
        };
    }

    static bool IsInt8(OrtGraph graph) =>
        graph.Session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(OnnxContract.PrecisionKey) == GraphPrecision.Int8.MetadataValue();

    static ReadOnlySpan<float> Row(float[] matrix, long row, int depth) => matrix.AsSpan((int)row * depth, depth);

    /// <summary>10·log10(1/MSE) for values in 0..1, as the trainer reports it; a perfect match is capped at 100 dB.</summary>
    public static double Psnr(double mse) => mse <= 1e-10 ? 100 : 10 * Math.Log10(1 / mse);

    static double SquaredError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new InvalidDataException($"output sizes differ: {a.Length} vs {b.Length}");
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }
        // NaN must fail the check, not vanish.
        return double.IsNaN(sum) ? double.PositiveInfinity : sum;
    }
}
