using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Onnx;

/// <summary>One dimension of a declared input or output: a fixed size or a symbolic name such as "N".</summary>
public readonly record struct Dim(long? Value, string? Param)
{
    public static Dim Symbolic(string name) => new(null, name);
    public static implicit operator Dim(long value) => new(value, null);
    public override string ToString() => Param ?? Value!.Value.ToString();
}

/// <summary>
/// A small typed builder for one ONNX graph: inputs, initializers, nodes, outputs, metadata. It checks
/// what protobuf cannot — every node input is defined before use, every name is assigned once, every
/// output is produced — so a mapping mistake fails here with a name instead of inside ONNX Runtime.
/// Only the default operator domain is emitted.
/// </summary>
public sealed class OnnxGraphBuilder
{
    public const long IrVersion = 8;
    public const long OpsetVersion = 17;

    readonly GraphProto graph = new();
    readonly HashSet<string> defined = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> metadata = new(StringComparer.Ordinal);
    readonly string docString;

    public OnnxGraphBuilder(string graphName, string docString)
    {
        graph.Name = graphName;
        graph.DocString = docString;
        this.docString = docString;
    }

    /// <summary>True when a value (input, initializer or node output) of that name exists.</summary>
    public bool IsDefined(string name) => defined.Contains(name);

    public string AddInput(string name, DataType elemType, IReadOnlyList<Dim> dims, string docString)
    {
        Define(name);
        graph.Input.Add(ValueInfo(name, elemType, dims, docString));
        return name;
    }

    /// <summary>Declares an already computed value as a graph output.</summary>
    public string AddOutput(string name, DataType elemType, IReadOnlyList<Dim> dims, string docString)
    {
        if (!defined.Contains(name)) throw new InvalidOperationException($"output '{name}' is not produced by any node");
        graph.Output.Add(ValueInfo(name, elemType, dims, docString));
        return name;
    }

    /// <summary>Stores a float32 or int64 Torch tensor (a weight) as an initializer under its parameter name.</summary>
    public string AddInitializer(string name, Tensor tensor, string? docString = null)
    {
        using var _ = no_grad();
        using var cpu = tensor.detach().cpu().contiguous();
        var dims = cpu.shape;
        return cpu.dtype switch
        {
            ScalarType.Float32 => AddInitializer(name, cpu.data<float>().ToArray(), dims, docString),
            ScalarType.Int64 => AddInitializer(name, cpu.data<long>().ToArray(), dims, docString),
            _ => throw new ArgumentException($"initializer '{name}': dtype {cpu.dtype} is not exported (float32 and int64 only)"),
        };
    }

    public string AddInitializer(string name, float[] values, long[] dims, string? docString = null) =>
        AddInitializer(name, DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), values.Length, dims, docString);

    public string AddInitializer(string name, long[] values, long[] dims, string? docString = null) =>
        AddInitializer(name, DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), values.Length, dims, docString);

    public string AddInitializer(string name, sbyte[] values, long[] dims, string? docString = null) =>
        AddInitializer(name, DataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()), values.Length, dims, docString);

    string AddInitializer(string name, DataType type, ReadOnlySpan<byte> bytes, long count, long[] dims, string? docString)
    {
        if (dims.Aggregate(1L, (a, b) => a * b) != count)
            throw new ArgumentException($"initializer '{name}': {count} values do not fill shape [{string.Join(", ", dims)}]");
        // raw_data is little-endian by the ONNX spec, as is every machine .NET runs this on.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data needs a little-endian machine");
        Define(name);
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        if (docString != null) t.DocString = docString;
        graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds a node with one output (named <paramref name="output"/>, which also names the node); returns it.</summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, string output, params AttributeProto[] attributes) =>
        AddNode(opType, inputs, new[] { output }, attributes)[0];

    /// <summary>Adds a node; its name is its first output's. Returns the output names.</summary>
    public IReadOnlyList<string> AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        params AttributeProto[] attributes)
    {
        foreach (var input in inputs)
            if (input.Length > 0 && !defined.Contains(input))
                throw new InvalidOperationException($"{opType} node '{outputs[0]}': input '{input}' is not defined yet");
        foreach (var output in outputs) Define(output);
        var node = new NodeProto { OpType = opType, Name = outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return outputs;
    }

    /// <summary>A model-level metadata_props entry (ONNX Runtime exposes them as custom metadata).</summary>
    public void AddMetadata(string key, string value) => metadata[key] = value;

    public ModelProto Build(string producerName, string producerVersion)
    {
        if (graph.Output.Count == 0) throw new InvalidOperationException($"graph '{graph.Name}' has no outputs");
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producerName,
            ProducerVersion = producerVersion,
            DocString = docString,
            Graph = graph.Clone(),
        };
        // An empty domain means the default ai.onnx operator set: the only one these graphs use.
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    void Define(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("ONNX value names must not be empty");
        if (!defined.Add(name)) throw new InvalidOperationException($"'{name}' is assigned twice (ONNX graphs are single-assignment)");
    }

    static ValueInfoProto ValueInfo(string name, DataType elemType, IReadOnlyList<Dim> dims, string docString)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d.Param != null
                ? new TensorShapeProto.Types.Dimension { DimParam = d.Param }
                : new TensorShapeProto.Types.Dimension { DimValue = d.Value!.Value });
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)elemType, Shape = shape };
        return new ValueInfoProto { Name = name, DocString = docString, Type = new TypeProto { TensorType = tensor } };
    }
}

/// <summary>Typed constructors for node attributes.</summary>
public static class Attr
{
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };
}
