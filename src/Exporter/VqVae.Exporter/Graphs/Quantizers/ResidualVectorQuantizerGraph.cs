using VqVae.Exporter.Onnx;
using VqVae.Exporter.Verification;
using VqVae.Model.Quantizers;

namespace VqVae.Exporter.Graphs.Quantizers;

/// <summary>Residual VQ: the levels unrolled, each searching its codebook for what the levels before it left.</summary>
public sealed class ResidualVectorQuantizerGraph(ResidualVectorQuantizer rvq, ModelConfig c) : QuantizerGraph(c)
{
    public override string Doc => $"VQ-VAE quantizer: z_e → residual VQ, {Config.Depth} codebooks each quantizing what the previous left (squared L2), and the sum of their vectors.";

    public override string CodesDoc => $"int64 [N, {Config.LatentHeight}, {Config.LatentWidth}, {Config.Depth}] per position one code in 0..{Config.CodebookSize - 1} of each of the {Config.Depth} codebooks, first level first.";

    public override string ZqDoc => $"float32 [N, {Config.LatentHeight}, {Config.LatentWidth}, {Config.HiddenSize}] the sum of the {Config.Depth} chosen codebook vectors, NHWC.";

    /// <summary>As the Torch module does: each level quantizes the residual, and z_q is the sum of the chosen vectors.</summary>
    public override void Quantize(ModuleOnnxMapper m, string ze)
    {
        var g = m.Graph;
        var residual = Flatten(m, ze, Config.HiddenSize);
        var columnAxis = g.AddInitializer("quantizer.column_axis", new long[] { 1 }, new long[] { 1 });
        var columns = new List<string>();
        string? sum = null;
        for (int l = 0; l < rvq.levels.Count; l++)
        {
            var level = rvq.levels[l];
            var prefix = $"quantizer.level{l}";
            var flatCodes = Nearest(m, level, residual, prefix);
            columns.Add(g.AddNode("Unsqueeze", new[] { flatCodes, columnAxis }, $"{prefix}.codes_column"));
            var q = m.Embedding(level, level.weight, flatCodes, $"{prefix}.z_q");
            sum = sum is null ? q : g.AddNode("Add", new[] { sum, q }, $"{prefix}.z_q_sum");
            if (l < rvq.levels.Count - 1) residual = g.AddNode("Sub", new[] { residual, q }, $"quantizer.level{l + 1}.residual");
        }
        var flat = g.AddNode("Concat", columns.ToArray(), "quantizer.flat_codes", Attr.Int("axis", 1));
        var positions = g.AddNode("Shape", new[] { ze }, "quantizer.positions_shape", Attr.Int("start", 0), Attr.Int("end", 3));
        var depth = g.AddInitializer("quantizer.depth", new long[] { rvq.levels.Count }, new long[] { 1 });
        var codesShape = g.AddNode("Concat", new[] { positions, depth }, "quantizer.codes_shape", Attr.Int("axis", 0));
        g.AddNode("Reshape", new[] { flat, codesShape }, OnnxContract.Codes);
        var latentShape = g.AddNode("Shape", new[] { ze }, "quantizer.latent_shape");
        g.AddNode("Reshape", new[] { sum!, latentShape }, OnnxContract.ZQ);
    }

    /// <summary>Each level's code picks a row of its codebook; the rows are summed.</summary>
    public override string Lookup(ModuleOnnxMapper m, string codes, string output)
    {
        var g = m.Graph;
        string? sum = null;
        for (int l = 0; l < rvq.levels.Count; l++)
        {
            var index = g.AddInitializer($"quantizer.lookup.level{l}.index", new long[] { l }, Array.Empty<long>());
            var levelCodes = g.AddNode("Gather", new[] { codes, index }, $"lookup.level{l}.codes", Attr.Int("axis", 3));
            var last = l == rvq.levels.Count - 1;
            var q = m.Embedding(rvq.levels[l], rvq.levels[l].weight, levelCodes, l == 0 && last ? output : $"lookup.level{l}.z_q");
            sum = sum is null ? q : g.AddNode("Add", new[] { sum, q }, last ? output : $"lookup.level{l}.z_q_sum");
        }
        return sum!;
    }

    public override CodeComparison Comparison(double tolerance) =>
        new CodeComparison.NearestCode(rvq.levels.Select(level => Floats(level.weight)).ToArray(), Config.HiddenSize, tolerance);
}
