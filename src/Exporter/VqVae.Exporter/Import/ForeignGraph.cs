using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Import;

/// <summary>
/// One graph as a PyTorch user writes it with <c>torch.onnx.export</c> (any tensor names, opset 13 or later, a fixed or
/// dynamic batch), changed in place into a graph of the contract: nodes put in front of its one input and after its one
/// output, the contract's names on both, the batch made symbolic. Its own nodes and opset are left as they are, so
/// whatever ONNX Runtime ran before it runs after.
/// </summary>
public sealed class ForeignGraph
{
    /// <summary>The oldest opset taken: the one whose operators (Gather, Transpose, Sigmoid with today's meaning) the added nodes use.</summary>
    public const long MinimumOpset = 13;

    readonly HashSet<string> names;
    readonly HashSet<string> nodeNames;
    int frontNodes;

    public string Path { get; }
    public ModelProto Model { get; }
    GraphProto Graph => Model.Graph;
    public ValueInfoProto Input { get; private set; }
    public ValueInfoProto Output { get; private set; }
    public long Opset { get; }

    ForeignGraph(string path, ModelProto model, long opset)
    {
        Path = path;
        Model = model;
        Opset = opset;
        // torch.onnx's keep_initializers_as_inputs lists the weights as inputs too; they are not what the graph takes.
        Graph.RemoveInitializersFromInputs();
        if (Graph.Input.Count != 1)
            throw new InvalidDataException($"{path}: {Graph.Input.Count} inputs ({string.Join(", ", Graph.Input.Select(i => i.Name))}); import maps a graph of one input");
        if (Graph.Output.Count != 1)
            throw new InvalidDataException($"{path}: {Graph.Output.Count} outputs ({string.Join(", ", Graph.Output.Select(i => i.Name))}); import maps a graph of one output");
        Input = Graph.Input[0];
        Output = Graph.Output[0];
        names = Graph.Node.SelectMany(n => n.Output).Concat(Graph.Initializer.Select(i => i.Name)).Append(Input.Name).ToHashSet(StringComparer.Ordinal);
        nodeNames = Graph.Node.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
    }

    public static ForeignGraph Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no such ONNX file");
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)); }
        catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"{path}: not an ONNX model ({e.Message})"); }
        if (model.Graph is null || model.Graph.Node.Count == 0) throw new InvalidDataException($"{path}: not an ONNX model (no graph nodes)");
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version
            ?? throw new InvalidDataException($"{path}: imports no default (ai.onnx) opset");
        if (opset < MinimumOpset) throw new InvalidDataException($"{path}: opset {opset}; import takes opset {MinimumOpset} or later (torch.onnx.export(..., opset_version=17))");
        return new ForeignGraph(path, model, opset);
    }

    /// <summary>The declared element type and dimensions of a value (null for a symbolic or missing dimension).</summary>
    public static (DataType Type, long?[] Dims) Describe(ValueInfoProto value)
    {
        var t = value.Type?.TensorType ?? throw new InvalidDataException($"'{value.Name}' is not a tensor");
        var dims = t.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : (long?)null).ToArray() ?? [];
        return ((DataType)t.ElemType, dims);
    }

    /// <summary>A name not yet used in the graph, for a value the import adds.</summary>
    public string Fresh(string name)
    {
        var candidate = name;
        for (int i = 1; names.Contains(candidate); i++) candidate = $"{name}_{i}";
        names.Add(candidate);
        return candidate;
    }

    /// <summary>
    /// The graph takes <paramref name="name"/> instead of its input; <paramref name="front"/> adds the nodes that make the old
    /// input from the new one (given the new name and the old one) and returns whether it wrote any.
    /// </summary>
    public void ReplaceInput(string name, DataType type, IReadOnlyList<long?> dims, Func<string, string, bool> front)
    {
        var old = Input.Name;
        FreeName(name, except: old);
        if (old == name)
        {
            // Already the contract's name (a graph VqVaeMl exported): the nodes go in front under a new name for the old value.
            var renamed = Fresh($"{old}.imported");
            Rename(old, renamed);
            old = renamed;
        }
        names.Add(name);
        if (!front(name, old)) AddFrontNode("Identity", [name], old);
        Graph.Input.Clear();
        Input = ValueInfo(name, type, dims);
        Graph.Input.Add(Input);
    }

    /// <summary>
    /// The graph gives <paramref name="name"/> instead of its output; <paramref name="back"/> adds the nodes that make it from
    /// the old output and returns whether it wrote any.
    /// </summary>
    public void ReplaceOutput(string name, DataType type, IReadOnlyList<long?> dims, Func<string, string, bool> back)
    {
        var old = Output.Name;
        if (old == name)
        {
            var renamed = Fresh($"{old}.imported");
            Rename(old, renamed);
            old = renamed;
        }
        FreeName(name, except: null);
        names.Add(name);
        if (!back(old, name)) AddNode("Identity", [old], name);
        Graph.Output.Clear();
        Output = ValueInfo(name, type, dims);
        Graph.Output.Add(Output);
    }

    public string AddNode(string op, IReadOnlyList<string> inputs, string output, params AttributeProto[] attributes)
    {
        names.Add(output);
        Graph.Node.Add(Node(op, inputs, output, attributes));
        return output;
    }

    /// <summary>Adds a node in front of the graph's own, after those added before it (the nodes that make its old input).</summary>
    public string AddFrontNode(string op, IReadOnlyList<string> inputs, string output, params AttributeProto[] attributes)
    {
        names.Add(output);
        Graph.Node.Insert(frontNodes++, Node(op, inputs, output, attributes));
        return output;
    }

    public string AddInitializer(string name, float[] values, long[] dims)
    {
        name = Fresh(name);
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.AddRange(dims);
        Graph.Initializer.Add(t);
        return name;
    }

    /// <summary>
    /// A graph exported with a fixed batch gets a symbolic one (OnnxSharp's SetDim: inputs, outputs, value infos and the
    /// Reshapes that carry it); the probe then shows whether it really runs at another batch size.
    /// </summary>
    public void MakeBatchSymbolic(string batch)
    {
        Graph.SetDim(0, DimParamOrValue.New(batch));
        // Declared shapes of intermediate values are hints ONNX Runtime checks against; the graph's own are dropped.
        Graph.ValueInfo.Clear();
    }

    /// <summary>The contract's <paramref name="metadata"/> in place of any the graph had under the same keys.</summary>
    public void SetMetadata(IEnumerable<(string Key, string Value)> metadata)
    {
        foreach (var (key, value) in metadata)
        {
            var existing = Model.MetadataProps.Where(p => p.Key == key).ToList();
            foreach (var e in existing) Model.MetadataProps.Remove(e);
            Model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
    }

    /// <summary>A contract name the graph uses for one of its own values moves that value to a fresh name.</summary>
    void FreeName(string name, string? except)
    {
        if (name == except || !names.Contains(name)) return;
        Rename(name, Fresh($"{name}.imported"));
    }

    /// <summary>Renames a value wherever the graph's nodes (not subgraphs, which torch.onnx does not write for these models) and declarations name it.</summary>
    void Rename(string from, string to)
    {
        foreach (var node in Graph.Node)
        {
            for (int i = 0; i < node.Input.Count; i++) if (node.Input[i] == from) node.Input[i] = to;
            for (int i = 0; i < node.Output.Count; i++) if (node.Output[i] == from) node.Output[i] = to;
        }
        foreach (var t in Graph.Initializer) if (t.Name == from) t.Name = to;
        foreach (var v in Graph.Input.Concat(Graph.Output).Concat(Graph.ValueInfo)) if (v.Name == from) v.Name = to;
        names.Add(to);
    }

    /// <summary>A node named after its output, or after it with a suffix where the graph already has a node of that name.</summary>
    NodeProto Node(string op, IReadOnlyList<string> inputs, string output, params AttributeProto[] attributes)
    {
        var name = output;
        for (int i = 1; !nodeNames.Add(name); i++) name = $"{output}_{i}";
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    static ValueInfoProto ValueInfo(string name, DataType type, IReadOnlyList<long?> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is { } v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = OnnxContract.Batch });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    public byte[] ToBytes() => Model.ToByteArray();
}
