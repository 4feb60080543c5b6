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

    public string ConvTranspose2d(ConvTranspose2d conv, string input, string? output = null)
    {
        var name = NameOf(conv);
        if (conv.padding is null) throw new NotSupportedException($"{name}: only explicit padding is exported");
        // Torch and ONNX both store transposed-conv weights as [C_in, C_out/groups, kH, kW].
        var inputs = WeightAndBias(conv, input, conv.weight, conv.bias);
        var attributes = ConvAttributes(conv).Append(Attr.Ints("output_padding", conv.output_padding)).ToArray();
        return Graph.AddNode("ConvTranspose", inputs, output ?? name, attributes);
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
