using VqVae.Exporter.Onnx;
using VqVae.Model.Quantizers;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Graphs;

/// <summary>
/// The quantizer of each kind as ONNX nodes: the code search (quantizer graph) and the codes → latent
/// lookup (decoder graph). The quantizer switch: a new kind adds one case to each of the two methods.
/// </summary>
public static class QuantizerGraph
{
    /// <summary>z_e [N, h, w, D] → the outputs <see cref="OnnxContract.Codes"/> and <see cref="OnnxContract.ZQ"/>.</summary>
    public static void Quantize(ModuleOnnxMapper m, Quantizer quantizer, ModelConfig c, string ze)
    {
        switch (quantizer)
        {
            case VectorQuantizer vq: VectorQuantize(m, vq, c, ze); break;
            case ResidualVectorQuantizer rvq: ResidualQuantize(m, rvq, c, ze); break;
            case FiniteScalarQuantizer fsq: ScalarQuantize(m, fsq, ze); break;
            default: throw new NotSupportedException($"no ONNX mapping for quantizer {quantizer.GetType().Name}");
        }
    }

    /// <summary>Codes (as the quantizer graph writes them) → the latent [N, h, w, D] the decoder body reads.</summary>
    public static string Lookup(ModuleOnnxMapper m, Quantizer quantizer, string codes, string output) => quantizer switch
    {
        VectorQuantizer vq => m.Embedding(vq, vq.weight, codes, output),
        ResidualVectorQuantizer rvq => ResidualLookup(m, rvq, codes, output),
        FiniteScalarQuantizer fsq => ScalarLookup(m, fsq, codes, output),
        _ => throw new NotSupportedException($"no ONNX mapping for quantizer {quantizer.GetType().Name}"),
    };

    static void VectorQuantize(ModuleOnnxMapper m, VectorQuantizer vq, ModelConfig c, string ze)
    {
        var g = m.Graph;
        var z = Flatten(m, ze, c.HiddenSize);
        var flatCodes = Nearest(m, vq, z, "quantizer");
        var codesShape = g.AddNode("Shape", new[] { ze }, "quantizer.codes_shape", Attr.Int("start", 0), Attr.Int("end", 3));
        g.AddNode("Reshape", new[] { flatCodes, codesShape }, OnnxContract.Codes);
        m.Embedding(vq, vq.weight, OnnxContract.Codes, OnnxContract.ZQ);
    }

    /// <summary>The levels unrolled: each searches its codebook for what the levels before it left, as the Torch module does.</summary>
    static void ResidualQuantize(ModuleOnnxMapper m, ResidualVectorQuantizer rvq, ModelConfig c, string ze)
    {
        var g = m.Graph;
        var residual = Flatten(m, ze, c.HiddenSize);
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

    /// <summary>Projection, tanh bound, Round, mixed-radix code, and the projection back: FiniteScalarQuantizer's steps one by one.</summary>
    static void ScalarQuantize(ModuleOnnxMapper m, FiniteScalarQuantizer fsq, string ze)
    {
        var g = m.Graph;
        var projected = m.Linear(fsq.project_in, ze);
        var (half, offset, shift, halfWidth) = BoundInitializers(m, fsq);
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

    /// <summary>Each level's code picks a row of its codebook; the rows are summed.</summary>
    static string ResidualLookup(ModuleOnnxMapper m, ResidualVectorQuantizer rvq, string codes, string output)
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

    /// <summary>A code's digits (code div place value mod level), scaled to the grid, projected back to D.</summary>
    static string ScalarLookup(ModuleOnnxMapper m, FiniteScalarQuantizer fsq, string codes, string output)
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

    static (string Half, string Offset, string Shift, string HalfWidth) BoundInitializers(ModuleOnnxMapper m, FiniteScalarQuantizer fsq)
    {
        var (half, offset, shift, halfWidth) = fsq.BoundConstants(TorchSharp.torch.CPU);
        var g = m.Graph;
        return (g.AddInitializer("quantizer.half_range", half), g.AddInitializer("quantizer.offset", offset),
            g.AddInitializer("quantizer.shift", shift), g.AddInitializer("quantizer.half_width", halfWidth));
    }

    /// <summary>[N, h, w, D] → [N·h·w, D].</summary>
    static string Flatten(ModuleOnnxMapper m, string ze, int hiddenSize)
    {
        var flatShape = m.Graph.AddInitializer("quantizer.flat_shape", new long[] { -1, hiddenSize }, new long[] { 2 });
        return m.Graph.AddNode("Reshape", new[] { ze, flatShape }, "quantizer.z");
    }

    /// <summary>
    /// Nearest code of each row of z [M, D] by squared L2, written ‖z‖² − 2·z·Eᵀ + ‖E‖² with one MatMul
    /// (as <see cref="SquaredDistances"/>); the first of equal distances wins, as in torch.argmin.
    /// </summary>
    static string Nearest(ModuleOnnxMapper m, VectorQuantizer vq, string z, string prefix)
    {
        var g = m.Graph;
        var codebook = m.Parameter(vq, "weight", vq.weight);
        var zSquared = g.AddNode("ReduceSumSquare", new[] { z }, $"{prefix}.z_sq", Attr.Ints("axes", 1), Attr.Int("keepdims", 1));
        var codebookT = g.AddNode("Transpose", new[] { codebook }, $"{codebook}.T", Attr.Ints("perm", 1, 0));
        var dot = g.AddNode("MatMul", new[] { z, codebookT }, $"{prefix}.z_dot_e");
        var two = g.IsDefined("quantizer.two") ? "quantizer.two" : g.AddInitializer("quantizer.two", new[] { 2f }, Array.Empty<long>());
        var twoDot = g.AddNode("Mul", new[] { dot, two }, $"{prefix}.two_z_dot_e");
        var eSquared = g.AddNode("ReduceSumSquare", new[] { codebook }, $"{codebook}.sq", Attr.Ints("axes", 1), Attr.Int("keepdims", 0));
        var partial = g.AddNode("Sub", new[] { zSquared, twoDot }, $"{prefix}.partial");
        var distances = g.AddNode("Add", new[] { partial, eSquared }, $"{prefix}.distances");
        return g.AddNode("ArgMin", new[] { distances }, $"{prefix}.flat_codes",
            Attr.Int("axis", 1), Attr.Int("keepdims", 0), Attr.Int("select_last_index", 0));
    }
}
