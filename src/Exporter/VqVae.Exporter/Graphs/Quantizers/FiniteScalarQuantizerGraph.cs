using VqVae.Exporter.Onnx;
using VqVae.Exporter.Verification;
using VqVae.Model.Quantizers;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Graphs.Quantizers;

/// <summary>FSQ: projection, tanh bound, Round and the mixed-radix code; the lookup takes a code's digits back to the grid.</summary>
public sealed class FiniteScalarQuantizerGraph(FiniteScalarQuantizer fsq, ModelConfig c) : QuantizerGraph(c)
{
    public override string Doc => $"VQ-VAE quantizer: z_e → finite scalar quantization on the grid {Config.Levels} (one mixed-radix code) and its latent.";

    public override string CodesDoc => $"int64 [N, {Config.LatentHeight}, {Config.LatentWidth}] grid point in 0..{Config.CodebookSize - 1}: mixed radix over the levels {Config.Levels}, first channel the fastest digit.";

    public override string ZqDoc => $"float32 [N, {Config.LatentHeight}, {Config.LatentWidth}, {Config.HiddenSize}] the chosen grid point projected back to the latent width, NHWC.";

    /// <summary>FiniteScalarQuantizer's steps one by one, then the projection back.</summary>
    public override void Quantize(ModuleOnnxMapper m, string ze)
    {
        var g = m.Graph;
        var projected = m.Linear(fsq.project_in, ze);
        var (half, offset, shift, halfWidth) = BoundInitializers(m);
        var shifted = g.AddNode("Add", new[] { projected, shift }, "fsq.shifted");
        var squashed = g.AddNode("Tanh", new[] { shifted }, "fsq.tanh");
        var scaled = g.AddNode("Mul", new[] { squashed, half }, "fsq.scaled");
        var bounded = g.AddNode("Sub", new[] { scaled, offset }, "fsq.bounded");
        // Round halves to even, as torch.round does.
        var rounded = g.AddNode("Round", new[] { bounded }, "fsq.rounded");
        var digits = g.AddNode("Add", new[] { rounded, halfWidth }, "fsq.digits");
        // The digits are small integers, so the float product and sum are exact.
        var basis = g.AddInitializer("quantizer.basis", fsq.Basis.Select(b => (float)b).ToArray(), new long[] { fsq.Basis.Count });
        var codes = g.AddNode("MatMul", new[] { digits, basis }, "fsq.codes_float");
        g.AddNode("Cast", new[] { codes }, OnnxContract.Codes, Attr.Int("to", (long)DataType.Int64));
        var grid = g.AddNode("Div", new[] { rounded, halfWidth }, "fsq.grid");
        m.Linear(fsq.project_out, grid, OnnxContract.ZQ);
    }

    /// <summary>A code's digits (code div place value mod level), scaled to the grid, projected back to D.</summary>
    public override string Lookup(ModuleOnnxMapper m, string codes, string output)
    {
        var g = m.Graph;
        var lastAxis = g.AddInitializer("quantizer.lookup.last_axis", new long[] { -1 }, new long[] { 1 });
        var column = g.AddNode("Unsqueeze", new[] { codes, lastAxis }, "lookup.codes_column");
        var basis = g.AddInitializer("quantizer.lookup.basis", fsq.Basis.ToArray(), new long[] { fsq.Basis.Count });
        var levels = g.AddInitializer("quantizer.lookup.levels", fsq.Levels.Select(l => (long)l).ToArray(), new long[] { fsq.Levels.Count });
        var place = g.AddNode("Div", new[] { column, basis }, "lookup.place");
        var digits = g.AddNode("Mod", new[] { place, levels }, "lookup.digits");
        var digitsFloat = g.AddNode("Cast", new[] { digits }, "lookup.digits_float", Attr.Int("to", (long)DataType.Float));
        var halfWidth = g.AddInitializer("quantizer.half_width", fsq.BoundConstants(TorchSharp.torch.CPU).HalfWidth);
        var centred = g.AddNode("Sub", new[] { digitsFloat, halfWidth }, "lookup.centred");
        var grid = g.AddNode("Div", new[] { centred, halfWidth }, "lookup.grid");
        return m.Linear(fsq.project_out, grid, output);
    }

    public override CodeComparison Comparison(double tolerance) => new CodeComparison.RoundedGrid(fsq, Config.HiddenSize, tolerance);

    (string Half, string Offset, string Shift, string HalfWidth) BoundInitializers(ModuleOnnxMapper m)
    {
        var (half, offset, shift, halfWidth) = fsq.BoundConstants(TorchSharp.torch.CPU);
        var g = m.Graph;
        return (g.AddInitializer("quantizer.half_range", half), g.AddInitializer("quantizer.offset", offset),
            g.AddInitializer("quantizer.shift", shift), g.AddInitializer("quantizer.half_width", halfWidth));
    }
}
