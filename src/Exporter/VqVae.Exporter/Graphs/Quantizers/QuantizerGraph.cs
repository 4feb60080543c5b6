using VqVae.Exporter.Onnx;
using VqVae.Exporter.Verification;
using VqVae.Model;
using VqVae.Model.Quantizers;

namespace VqVae.Exporter.Graphs.Quantizers;

/// <summary>
/// One quantizer kind as ONNX nodes: the code search (quantizer graph), the codes → latent lookup (decoder
/// graph), the documentation of their tensors, and how the verifier tells a tie from a wrong code. One
/// subclass per kind, one file each; <see cref="For"/> is the only place a module is matched to its graph.
/// </summary>
public abstract class QuantizerGraph(ModelConfig config)
{
    protected ModelConfig Config { get; } = config;

    /// <summary>The graph of a model's quantizer module: a new kind adds one case here and one graph file.</summary>
    public static QuantizerGraph For(VqVaeModel model) => model.quantizer switch
    {
        VectorQuantizer vq => new VectorQuantizerGraph(vq, model.Config),
        ResidualVectorQuantizer rvq => new ResidualVectorQuantizerGraph(rvq, model.Config),
        FiniteScalarQuantizer fsq => new FiniteScalarQuantizerGraph(fsq, model.Config),
        _ => throw new NotSupportedException($"no ONNX mapping for quantizer {model.quantizer.GetType().Name}"),
    };

    /// <summary>The quantizer graph's description.</summary>
    public abstract string Doc { get; }

    /// <summary>The codes tensor as the quantizer graph writes it.</summary>
    public abstract string CodesDoc { get; }

    /// <summary>The codes tensor as the decoder graph reads it.</summary>
    public virtual string DecoderCodesDoc => CodesDoc;

    /// <summary>The z_q tensor the quantizer graph writes.</summary>
    public abstract string ZqDoc { get; }

    /// <summary>Whether the int8 export (its layers and verifier) covers this kind.</summary>
    public virtual bool CoversInt8 => false;

    /// <summary>z_e [N, h, w, D] → the outputs <see cref="OnnxContract.Codes"/> and <see cref="OnnxContract.ZQ"/>.</summary>
    public abstract void Quantize(ModuleOnnxMapper m, string ze);

    /// <summary>Codes (as the quantizer graph writes them) → the latent [N, h, w, D] the decoder body reads.</summary>
    public abstract string Lookup(ModuleOnnxMapper m, string codes, string output);

    /// <summary>How the verifier tells a legitimate disagreement of Torch's and ONNX Runtime's codes from a wrong one.</summary>
    public abstract CodeComparison Comparison(double tolerance);

    protected static float[] Floats(TorchSharp.torch.Tensor t) => t.detach().cpu().contiguous().data<float>().ToArray();

    /// <summary>[N, h, w, D] → [N·h·w, D].</summary>
    protected static string Flatten(ModuleOnnxMapper m, string ze, int hiddenSize)
    {
        var flatShape = m.Graph.AddInitializer("quantizer.flat_shape", new long[] { -1, hiddenSize }, new long[] { 2 });
        return m.Graph.AddNode("Reshape", new[] { ze, flatShape }, "quantizer.z");
    }

    /// <summary>
    /// Nearest code of each row of z [M, D] by squared L2, ‖z‖² − 2·z·Eᵀ + ‖E‖², as one Gemm and an ArgMin:
    /// ‖z‖² is the same for every code of a row, so it is left out, and the Gemm computes ‖E‖² − 2·z·Eᵀ from two
    /// initializers, −2·Eᵀ laid out [D, K] as ONNX Runtime's Gemm reads B, and ‖E‖² [K] as its bias.
    /// (Scaling by −2 is exact in float.) The first of equal distances wins, as in torch.argmin; the sums
    /// are grouped otherwise than Torch's, so an exact tie may go the other way, as the verifier allows.
    /// </summary>
    protected static string Nearest(ModuleOnnxMapper m, VectorQuantizer vq, string z, string prefix)
    {
        var g = m.Graph;
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var weight = vq.weight.detach().cpu();
        // The quantizer's own constants, under its prefix: computed from the codebook, not parameters themselves.
        var minusTwoT = g.AddInitializer($"{prefix}.codebook_minus_2_t", (weight.t() * -2f).contiguous(), "−2·Eᵀ [D, K]");
        var squared = g.AddInitializer($"{prefix}.codebook_sq", weight.pow(2).sum(1), "‖E‖² [K]");
        var distances = g.AddNode("Gemm", new[] { z, minusTwoT, squared }, $"{prefix}.distances_less_z_sq");
        return g.AddNode("ArgMin", new[] { distances }, $"{prefix}.flat_codes",
            Attr.Int("axis", 1), Attr.Int("keepdims", 0), Attr.Int("select_last_index", 0));
    }
}
