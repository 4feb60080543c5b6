using TorchSharp;
using VqVae.Exporter.Graphs.Quantizers;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Exporter.Verification;

/// <summary>
/// Runs the exported graphs in ONNX Runtime beside the TorchSharp model on the same inputs and measures
/// how far apart they are: random images and codes, plus real images when given, for each batch size.
/// </summary>
public static class OnnxVerifier
{
    public static VerificationReport Verify(VqVaeModel model, string onnxDir, VerifyOptions? options = null)
    {
        options ??= new VerifyOptions();
        model.eval();
        using var encoder = new OrtGraph(Path.Combine(onnxDir, OnnxContract.EncoderFile), options.Optimization);
        using var quantizer = new OrtGraph(Path.Combine(onnxDir, OnnxContract.QuantizerFile), options.Optimization);
        using var decoder = new OrtGraph(Path.Combine(onnxDir, OnnxContract.DecoderFile), options.Optimization);
        var run = new Run(model, encoder, quantizer, decoder, options);

        var c = model.Config;
        int imageSize = c.Channels * c.Height * c.Width;
        var random = new Random(options.Seed);
        foreach (var batch in options.BatchSizes)
        {
            var images = new float[batch * imageSize];
            for (int i = 0; i < images.Length; i++) images[i] = random.NextSingle();
            run.Images(images, batch);

            var codes = new long[batch * c.LatentHeight * c.LatentWidth * c.CodesPerPosition];
            for (int i = 0; i < codes.Length; i++) codes[i] = random.Next(c.CodebookSize);
            run.Decoder(codes, batch);

            if (options.Images is { Length: > 0 } real)
            {
                if (real.Length % imageSize != 0)
                    throw new ArgumentException($"validation images: {real.Length} values are not a whole number of {c.Channels}x{c.Height}x{c.Width} images");
                int count = real.Length / imageSize;
                var slice = new float[batch * imageSize];
                // Cycle through the set when it holds fewer images than the batch.
                for (int b = 0; b < batch; b++)
                    Array.Copy(real, (b % count) * imageSize, slice, b * imageSize, imageSize);
                run.Images(slice, batch);
            }
        }
        return run.Report with { UsedImages = options.Images is { Length: > 0 } };
    }

    /// <summary>Accumulates the measurements of one verification.</summary>
    sealed class Run(VqVaeModel model, OrtGraph encoder, OrtGraph quantizer, OrtGraph decoder, VerifyOptions options)
    {
        readonly ModelConfig c = model.Config;
        readonly CodeComparison codeComparison = QuantizerGraph.For(model).Comparison(options.TieTolerance);

        public VerificationReport Report { get; private set; } = new()
        {
            Tolerance = options.Tolerance, BatchSizes = options.BatchSizes, Optimization = options.Optimization,
        };

        long[] ImageShape(int n) => new long[] { n, c.Channels, c.Height, c.Width };
        long[] LatentShape(int n) => new long[] { n, c.LatentHeight, c.LatentWidth, c.HiddenSize };
        long[] CodeShape(int n) => [n, .. c.CodeShape];

        /// <summary>Encoder, quantizer (on Torch's z_e), decoder (on Torch's codes) and the whole ORT chain for one batch of images.</summary>
        public void Images(float[] images, int n)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(images, ImageShape(n));
            var zeTorch = model.Encode(x);
            var (codesTorch, zqTorch) = model.Quantize(zeTorch);
            var forward = model.forward(x).Reconstruction;
            var ze = Floats(zeTorch);
            var codes = Longs(codesTorch);
            var zq = Floats(zqTorch);
            var forwardRecon = Floats(forward);
            var decodedTorch = Floats(model.DecodeCodes(codesTorch));

            var zeOrt = (float[])encoder.Run(OnnxContract.Image, images, ImageShape(n))[OnnxContract.ZE];
            Report = Report with { EncoderMaxDiff = Math.Max(Report.EncoderMaxDiff, MaxDiff(ze, zeOrt)) };

            // The quantizer alone, fed exactly Torch's z_e: only the nearest-code search can differ.
            var q = quantizer.Run(OnnxContract.ZE, ze, LatentShape(n));
            var codesOrt = (long[])q[OnnxContract.Codes];
            CompareCodes(codes, codesOrt, ze);
            Report = Report with { QuantizerMaxDiff = Math.Max(Report.QuantizerMaxDiff, MaxDiffWhereCodesAgree(zq, (float[])q[OnnxContract.ZQ], codes, codesOrt, c.CodesPerPosition)) };

            var decodedOrt = (float[])decoder.Run(OnnxContract.Codes, codes, CodeShape(n))[OnnxContract.Reconstruction];
            Report = Report with { DecoderMaxDiff = Math.Max(Report.DecoderMaxDiff, MaxDiff(decodedTorch, decodedOrt)) };

            // End to end in ORT: encoder → quantizer → decoder, against the Torch forward pass.
            var chainCodes = (long[])quantizer.Run(OnnxContract.ZE, zeOrt, LatentShape(n))[OnnxContract.Codes];
            var chainRecon = (float[])decoder.Run(OnnxContract.Codes, chainCodes, CodeShape(n))[OnnxContract.Reconstruction];
            CompareCodes(codes, chainCodes, ze);
            Report = Report with { ChainMaxDiff = Math.Max(Report.ChainMaxDiff, ChainDiff(forwardRecon, chainRecon, codes, chainCodes, n)) };
        }

        /// <summary>The decoder alone on given codes.</summary>
        public void Decoder(long[] codes, int n)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var expected = Floats(model.DecodeCodes(tensor(codes, CodeShape(n))));
            var actual = (float[])decoder.Run(OnnxContract.Codes, codes, CodeShape(n))[OnnxContract.Reconstruction];
            Report = Report with { DecoderMaxDiff = Math.Max(Report.DecoderMaxDiff, MaxDiff(expected, actual)) };
        }

        void CompareCodes(long[] expected, long[] actual, float[] ze)
        {
            var (ties, mismatches) = codeComparison.Compare(expected, actual, ze);
            Report = Report with
            {
                CodesCompared = Report.CodesCompared + expected.Length,
                CodeTies = Report.CodeTies + ties,
                CodeMismatches = Report.CodeMismatches + mismatches,
            };
        }

        /// <summary>
        /// Per image: against the forward pass where the chain chose the same codes; where a tie flipped a
        /// code, against Torch decoding the chain's codes (the forward pass decoded the other, equally near, code).
        /// </summary>
        float ChainDiff(float[] forward, float[] chain, long[] codes, long[] chainCodes, int n)
        {
            int imageSize = forward.Length / n, codeCount = codes.Length / n;
            float max = 0;
            for (int i = 0; i < n; i++)
            {
                var expected = forward.AsSpan(i * imageSize, imageSize);
                var imageCodes = chainCodes.AsSpan(i * codeCount, codeCount);
                float[]? redecoded = null;
                if (!codes.AsSpan(i * codeCount, codeCount).SequenceEqual(imageCodes))
                {
                    using var scope = NewDisposeScope();
                    redecoded = Floats(model.DecodeCodes(tensor(imageCodes.ToArray(), CodeShape(1))));
                }
                max = Math.Max(max, MaxDiff(redecoded ?? expected, chain.AsSpan(i * imageSize, imageSize)));
            }
            return max;
        }
    }

    /// <summary>z_q per position where every code of the position agrees (a flipped tie picks another vector).</summary>
    static float MaxDiffWhereCodesAgree(float[] expected, float[] actual, long[] codes, long[] otherCodes, int codesPerPosition)
    {
        int positions = codes.Length / codesPerPosition, depth = expected.Length / positions;
        float max = 0;
        for (int i = 0; i < positions; i++)
            if (codes.AsSpan(i * codesPerPosition, codesPerPosition).SequenceEqual(otherCodes.AsSpan(i * codesPerPosition, codesPerPosition)))
                max = Math.Max(max, MaxDiff(expected.AsSpan(i * depth, depth), actual.AsSpan(i * depth, depth)));
        return max;
    }

    static float MaxDiff(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length) throw new InvalidDataException($"output sizes differ: {expected.Length} vs {actual.Length}");
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            var d = Math.Abs(expected[i] - actual[i]);
            // NaN must fail, not vanish in Math.Max.
            max = float.IsNaN(d) ? float.PositiveInfinity : Math.Max(max, d);
        }
        return max;
    }

    static float[] Floats(Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();
    static long[] Longs(Tensor t) => t.detach().cpu().contiguous().data<long>().ToArray();
}
