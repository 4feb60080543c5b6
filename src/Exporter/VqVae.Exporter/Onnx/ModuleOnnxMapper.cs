using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VqVae.Exporter.Onnx;

/// <summary>
/// Maps TorchSharp modules to ONNX nodes, one method per module kind, reading each module's weights and
/// hyperparameters from the module itself. Values and initializers are named after the module's path
/// in the model ("encoder.cnn" → initializer "encoder.cnn.weight"), exactly the keys of its state dict,
/// so a reader of the graph finds the Torch parameter each tensor came from.
/// </summary>
public sealed class ModuleOnnxMapper
{
    readonly Dictionary<nn.Module, string> names = new(ReferenceEqualityComparer.Instance);

    public ModuleOnnxMapper(OnnxGraphBuilder graph, nn.Module root)
    {
        Graph = graph;
        foreach (var (name, module) in root.named_modules()) names[module] = name;
    }

    public OnnxGraphBuilder Graph { get; }

    /// <summary>The module's path in the model, e.g. "decoder.up.1".</summary>
    public string NameOf(nn.Module module) =>
        names.TryGetValue(module, out var name) && name.Length > 0
            ? name
            : throw new ArgumentException($"{module.GetType().Name} is not a named sub-module of the exported model");

    /// <summary>The initializer holding a module's parameter, added on first use.</summary>
    public string Parameter(nn.Module owner, string parameterName, Tensor value)
    {
        var name = $"{NameOf(owner)}.{parameterName}";
        return Graph.IsDefined(name) ? name : Graph.AddInitializer(name, value);
    }

    /// <param name="output">name of the result; by default the module's path.</param>
    public string Conv2d(Conv2d conv, string input, string? output = null)
    {
        var name = NameOf(conv);
        if (conv.padding_mode != PaddingModes.Zeros || conv.padding is null)
            throw new NotSupportedException($"{name}: only explicit zero padding is exported");
        var inputs = WeightAndBias(conv, input, conv.weight, conv.bias);
        return Graph.AddNode("Conv", inputs, output ?? name, ConvAttributes(conv));
    }

    /// <summary>
    /// A convolution whose kernel is multiplied by a fixed mask (a PixelCNN's masked convolution): an
    /// ordinary Conv node whose weight initializer "{module}.weight" already holds weight · mask.
    /// </summary>
    public string MaskedConv2d(Conv2d conv, Tensor mask, string input, string? output = null)
    {
        var name = NameOf(conv);
        if (conv.padding_mode != PaddingModes.Zeros || conv.padding is null)
            throw new NotSupportedException($"{name}: only explicit zero padding is exported");
        using var _ = no_grad();
        using var masked = conv.weight!.detach() * mask.to(conv.weight!.device);
        var inputs = WeightAndBias(conv, input, masked, conv.bias);
        return Graph.AddNode("Conv", inputs, output ?? name, ConvAttributes(conv));
    }

    public string ConvTranspose2d(ConvTranspose2d conv, string input, string? output = null)
    {
        var name = NameOf(conv);
        if (conv.padding is null) throw new NotSupportedException($"{name}: only explicit padding is exported");
        // Torch and ONNX both store transposed-conv weights as [C_in, C_out/groups, kH, kW].
        var inputs = WeightAndBias(conv, input, conv.weight, conv.bias);
        var attributes = ConvAttributes(conv).Append(Attr.Ints("output_padding", conv.output_padding)).ToArray();
        return Graph.AddNode("ConvTranspose", inputs, output ?? name, attributes);
    }

    /// <summary>
    /// Conv2d whose kernel equals its stride p, as one matrix product: image [N, C, H, W] → [N·h·w, D],
    /// one row per patch in (n, y, x) order — NHWC [N, H/p, W/p, D] flattened to rows, so a per-position
    /// layer after it (ReLU, Linear) runs on it as one plain product, and a Reshape makes it NHWC. Each
    /// p×p patch is seen once, so space-to-depth (Reshape, Transpose, Reshape to one row of C·p·p pixels
    /// per patch) and a Gemm against the weight viewed as [D, C·p·p] give exactly the convolution
    /// (PatchMatmul.Conv in the Torch model); the rearranged tensor is the small one, with the image's C
    /// channels. The initializer "{module}.weight" is the parameter as stored, [D, C, p, p]; the Reshape
    /// on it is folded by ONNX Runtime at load time.
    /// </summary>
    /// <param name="height">image height H, a multiple of p (the graph's batch N stays symbolic).</param>
    public string PatchConv2d(Conv2d conv, string image, long height, long width, string? output = null)
    {
        var name = NameOf(conv);
        var weight = conv.weight!;
        long d = weight.shape[0], c = weight.shape[1], p = RequirePatchKernel(name, conv, weight.shape[2]);
        if (height % p != 0 || width % p != 0)
            throw new ArgumentException($"{name}: image {height}×{width} is not a whole number of {p}×{p} patches");
        long h = height / p, w = width / p;

        var patches = Reshape(image, $"{name}.patches", -1, c, h, p, w, p);
        patches = Permute(patches, $"{name}.patches_nhwc", 0, 2, 4, 1, 3, 5);        // [N, h, w, C, p, p]
        var rows = Reshape(patches, $"{name}.rows", -1, c * p * p);                   // one row per patch
        var kernel = Reshape(Parameter(conv, "weight", weight), $"{name}.weight_rows", d, c * p * p);
        var inputs = new List<string> { rows, kernel };
        if (conv.bias is not null) inputs.Add(Parameter(conv, "bias", conv.bias));
        return Graph.AddNode("Gemm", inputs, output ?? name, Attr.Int("transB", 1));
    }

    /// <summary>
    /// ConvTranspose2d whose kernel equals its stride p, as one matrix product: NHWC latent [N, h, w, D_in]
    /// → [N·h·w, p·p·D_out], one row per latent position holding the p×p output pixels it paints, each a
    /// run of D_out channels (row-major over i, j, d). Every output pixel comes from exactly one latent
    /// vector, so this is the whole transposed convolution (PatchMatmul.ConvTranspose in the Torch model)
    /// except the final depth-to-space move, which is left to the caller: a per-pixel layer after it
    /// (ReLU, Linear) runs on these rows as they are, and the pixels are best put in place after the
    /// Linear has shrunk D_out channels to the image's few. The initializer "{module}.weight" is the
    /// parameter as stored, [D_in, D_out, p, p]; the Transpose to [D_in, p, p, D_out] and Reshape on it,
    /// and the Tile of the bias over the p·p pixels, are folded by ONNX Runtime at load time.
    /// </summary>
    public string PatchConvTranspose2d(ConvTranspose2d conv, string latentNhwc, string? output = null)
    {
        var name = NameOf(conv);
        var weight = conv.weight!;
        long dIn = weight.shape[0], dOut = weight.shape[1], p = RequirePatchKernel(name, conv, weight.shape[2]);
        if (conv.output_padding.Any(o => o != 0)) throw new NotSupportedException($"{name}: output_padding is not exported as a matrix product");

        var rows = Reshape(latentNhwc, $"{name}.rows", -1, dIn);                      // one row per latent position
        var kernel = Permute(Parameter(conv, "weight", weight), $"{name}.weight_pixels_last", 0, 2, 3, 1);
        kernel = Reshape(kernel, $"{name}.weight_rows", dIn, p * p * dOut);
        var inputs = new List<string> { rows, kernel };
        if (conv.bias is not null)
        {
            // The bias of channel d repeats for each of the p·p pixels of a row.
            var repeats = Graph.AddInitializer($"{name}.bias_repeats", new[] { p * p }, new long[] { 1 });
            inputs.Add(Graph.AddNode("Tile", new[] { Parameter(conv, "bias", conv.bias), repeats }, $"{name}.bias_pixels"));
        }
        return Graph.AddNode("Gemm", inputs, output ?? name);
    }

    /// <summary>Reshape to a fixed shape (−1 for the one dimension to infer, usually the batch); the shape is an int64 initializer "{output}.shape".</summary>
    public string Reshape(string input, string output, params long[] shape)
    {
        var target = Graph.AddInitializer($"{output}.shape", shape, new long[] { shape.Length });
        return Graph.AddNode("Reshape", new[] { input, target }, output);
    }

    /// <summary>y = x·Wᵀ + b over the last axis of an input of any rank (Gemm would need a 2-D input).</summary>
    public string Linear(Linear linear, string input, string? output = null)
    {
        var name = output ?? NameOf(linear);
        var weight = Parameter(linear, "weight", linear.weight);
        var transposed = Graph.AddNode("Transpose", new[] { weight }, $"{weight}.T", Attr.Ints("perm", 1, 0));
        var product = Graph.AddNode("MatMul", new[] { input, transposed }, linear.bias is null ? name : $"{NameOf(linear)}.matmul");
        if (linear.bias is null) return product;
        return Graph.AddNode("Add", new[] { product, Parameter(linear, "bias", linear.bias) }, name);
    }

    public string Relu(string input, string name) => Graph.AddNode("Relu", new[] { input }, name);

    public string Sigmoid(string input, string name) => Graph.AddNode("Sigmoid", new[] { input }, name);

    /// <summary>Torch's permute(...), e.g. NCHW → NHWC with perm (0, 2, 3, 1).</summary>
    public string Permute(string input, string name, params long[] perm) =>
        Graph.AddNode("Transpose", new[] { input }, name, Attr.Ints("perm", perm));

    /// <summary>Embedding lookup: rows of <paramref name="table"/> (owned by <paramref name="owner"/>) at integer indices of any shape → [..., D].</summary>
    public string Embedding(nn.Module owner, Tensor table, string indices, string name)
    {
        var weight = Parameter(owner, "weight", table);
        return Graph.AddNode("Gather", new[] { weight, indices }, name, Attr.Int("axis", 0));
    }

    /// <summary>nn.Embedding: rows of its weight at integer indices of any shape → [..., D].</summary>
    public string Embedding(Embedding embedding, string indices, string? output = null) =>
        Embedding(embedding, embedding.weight!, indices, output ?? NameOf(embedding));

    /// <summary>A residual connection: input + body(input).</summary>
    public string Residual(nn.Module block, string input, Func<string, string> body) =>
        Graph.AddNode("Add", new[] { input, body(input) }, NameOf(block));

    /// <summary>The patch size p of a convolution the matrix-product form covers: square kernel = stride, no padding, dilation 1, one group.</summary>
    internal static long RequirePatchKernel(string name, Convolution conv, long p)
    {
        bool patchwise = conv.kernel_size.All(k => k == p) && conv.stride.All(s => s == p)
            && (conv.padding is null || conv.padding.All(x => x == 0)) && conv.dilation.All(x => x == 1) && conv.groups == 1;
        return patchwise ? p : throw new NotSupportedException(
            $"{name}: a matrix-product export needs kernel = stride, no padding, dilation 1 and one group " +
            $"(kernel {string.Join("×", conv.kernel_size)}, stride {string.Join("×", conv.stride)})");
    }

    string[] WeightAndBias(nn.Module module, string input, Tensor weight, Tensor? bias)
    {
        var w = Parameter(module, "weight", weight);
        return bias is null ? new[] { input, w } : new[] { input, w, Parameter(module, "bias", bias) };
    }

    static global::Onnx.AttributeProto[] ConvAttributes(Convolution conv)
    {
        var padding = conv.padding!;
        return new[]
        {
            Attr.Ints("kernel_shape", conv.kernel_size),
            Attr.Ints("strides", conv.stride),
            // ONNX lists all begin pads, then all end pads; Torch pads both sides equally.
            Attr.Ints("pads", padding.Concat(padding).ToArray()),
            Attr.Ints("dilations", conv.dilation),
            Attr.Int("group", conv.groups),
        };
    }
}
