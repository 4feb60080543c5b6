using VqVae.Exporter.Onnx;
using VqVae.Exporter.Verification;
using VqVae.Model.Quantizers;

namespace VqVae.Exporter.Graphs.Quantizers;

/// <summary>VQ: the nearest of K codebook vectors by squared L2, and that vector looked up by Gather.</summary>
public sealed class VectorQuantizerGraph(VectorQuantizer vq, ModelConfig c) : QuantizerGraph(c)
{
    public override string Doc => "VQ-VAE quantizer: z_e → index of the nearest codebook vector (squared L2) and that vector.";

    public override string CodesDoc => $"int64 [N, {Config.LatentHeight}, {Config.LatentWidth}] index of the nearest of {Config.CodebookSize} codebook vectors.";

    public override string DecoderCodesDoc => $"int64 [N, {Config.LatentHeight}, {Config.LatentWidth}] codebook indices in 0..{Config.CodebookSize - 1}.";

    public override string ZqDoc => $"float32 [N, {Config.LatentHeight}, {Config.LatentWidth}, {Config.HiddenSize}] the chosen codebook vectors, NHWC.";

    /// <summary>The int8 layers and their verifier are written for one codebook looked up by Gather.</summary>
    public override bool CoversInt8 => true;

    public override void Quantize(ModuleOnnxMapper m, string ze)
    {
        var g = m.Graph;
        var z = Flatten(m, ze, Config.HiddenSize);
        var flatCodes = Nearest(m, vq, z, "quantizer");
        var codesShape = g.AddNode("Shape", new[] { ze }, "quantizer.codes_shape", Attr.Int("start", 0), Attr.Int("end", 3));
        g.AddNode("Reshape", new[] { flatCodes, codesShape }, OnnxContract.Codes);
        m.Embedding(vq, vq.weight, OnnxContract.Codes, OnnxContract.ZQ);
    }

    public override string Lookup(ModuleOnnxMapper m, string codes, string output) => m.Embedding(vq, vq.weight, codes, output);

    public override CodeComparison Comparison(double tolerance) => new CodeComparison.NearestCode([Floats(vq.weight)], Config.HiddenSize, tolerance);
}
