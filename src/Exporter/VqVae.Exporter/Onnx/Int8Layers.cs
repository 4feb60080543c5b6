using TorchSharp.Modules;
using VqVae.Exporter.Quantization;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Onnx;

/// <summary>
/// The int8 forms of the layers that hold a model's large matrix products, written with default-domain
/// opset-17 operators only: weights stored as per-channel int8 (<see cref="PerChannelInt8"/>),
/// activations quantized per call by DynamicQuantizeLinear (uint8, the batch's own min and max), an
/// integer product (MatMulInteger, int32 sums), then back to float by the product of the two scales:
/// <code>
/// x ─ DynamicQuantizeLinear ─┬─ x_q, x_zero ─ MatMulInteger(W_int8) ─ Cast(float) ─┐
///                            └─ x_scale ─ Mul(W_scale) ──────────────────────────── Mul ─ Add(bias) → y
/// </code>
/// This is the pattern ONNX Runtime's CPU provider fuses at load time into one kernel
/// (DynamicQuantizeMatMul: quantize, integer GEMM, scale and bias in one pass), so the file stays
/// portable while ONNX Runtime runs one node per layer. Initializers are named after the Torch
/// parameter they come from: "{module}.weight.int8" ([K, N], the transposed-for-x·B layout) and
/// "{module}.weight.scale" ([N]).
/// </summary>
public sealed class Int8Layers(ModuleOnnxMapper m)
{
    OnnxGraphBuilder Graph => m.Graph;

    /// <summary>nn.Linear with int8 weights: [..., in] → [..., out].</summary>
    public string Linear(Linear linear, string input, string? output = null)
    {
        var name = m.NameOf(linear);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weight = linear.weight!.detach().cpu().t().contiguous();                   // [in, out]
        var bias = linear.bias is null ? null : m.Parameter(linear, "bias", linear.bias);
        return MatMul(input, Quantize(weight), $"{name}.weight", bias, output ?? name);
    }

    /// <summary>
    /// The int8 form of <see cref="ModuleOnnxMapper.PatchConvTranspose2d"/>: NHWC latent → [N·h·w, p·p·D_out]
    /// rows, one int8 product. Each of the p·p·D_out columns (one output channel of one pixel of the
    /// patch) has its own scale. The bias, repeated over the p·p pixels, is stored as
    /// "{module}.bias.pixels" so the fused kernel adds it.
    /// </summary>
    public string PatchConvTranspose2d(ConvTranspose2d conv, string latentNhwc, string? output = null)
    {
        var name = m.NameOf(conv);
        var w = conv.weight!;
        long dIn = w.shape[0], dOut = w.shape[1], p = ModuleOnnxMapper.RequirePatchKernel(name, conv, w.shape[2]);
        if (conv.output_padding.Any(o => o != 0)) throw new NotSupportedException($"{name}: output_padding is not exported as a matrix product");

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weight = w.detach().cpu().permute(0, 2, 3, 1).reshape(dIn, p * p * dOut).contiguous();
        string? bias = null;
        if (conv.bias is not null)
        {
            var pixels = conv.bias.detach().cpu().repeat(p * p).contiguous();
            bias = Graph.AddInitializer($"{name}.bias.pixels", pixels.data<float>().ToArray(), new[] { p * p * dOut },
                $"{name}.bias repeated for each of the {p}×{p} pixels of a patch");
        }
        var rows = m.Reshape(latentNhwc, $"{name}.rows", -1, dIn);
        return MatMul(rows, Quantize(weight), $"{name}.weight", bias, output ?? name);
    }

    /// <summary>y = x·B (+ bias) with B int8 per column and x quantized dynamically; see the class comment.</summary>
    public string MatMul(string input, PerChannelInt8 weight, string weightName, string? bias, string output)
    {
        long k = weight.Rows, n = weight.Columns;
        var quantized = Graph.AddNode("DynamicQuantizeLinear", new[] { input },
            new[] { $"{output}.x_q", $"{output}.x_scale", $"{output}.x_zero" });
        var values = Graph.AddInitializer($"{weightName}.int8", weight.Values, new[] { k, n },
            $"{weightName} as int8 [{k}, {n}] (x·B layout), symmetric: zero point 0");
        var scales = Graph.AddInitializer($"{weightName}.scale", weight.Scales, new[] { n },
            $"{weightName}: float scale of each of the {n} int8 columns");
        var sums = Graph.AddNode("MatMulInteger", new[] { quantized[0], values, quantized[2] }, $"{output}.int32");
        var floats = Graph.AddNode("Cast", new[] { sums }, $"{output}.int32_as_float", Attr.Int("to", (long)DataType.Float));
        // x_scale first, then the weights' scales: the order ONNX Runtime's fusion reads them in.
        var scale = Graph.AddNode("Mul", new[] { quantized[1], scales }, $"{output}.scale");
        var product = Graph.AddNode("Mul", new[] { floats, scale }, bias is null ? output : $"{output}.product");
        return bias is null ? product : Graph.AddNode("Add", new[] { product, bias }, output);
    }

    static PerChannelInt8 Quantize(Tensor matrix) =>
        PerChannelInt8.Quantize(matrix.data<float>().ToArray(), (int)matrix.shape[0], (int)matrix.shape[1]);
}
