using VqVae.Exporter.Graphs;
using VqVae.Exporter.Graphs.Quantizers;
using VqVae.Model;

namespace VqVae.Exporter.Tests.Quantizers;

/// <summary>Every quantizer kind's module finds its one graph, and the exported tensors have the shape its descriptor gives.</summary>
public class QuantizerGraphTests
{
    static readonly ModelConfig Vq = new() { Height = 8, Width = 12, PatchSize = 4, HiddenSize = 6, CodebookSize = 8 };

    public static TheoryData<QuantizerKind, Type, bool> Kinds => new()
    {
        { QuantizerKind.Vq, typeof(VectorQuantizerGraph), true },
        { QuantizerKind.Rvq, typeof(ResidualVectorQuantizerGraph), false },
        { QuantizerKind.Fsq, typeof(FiniteScalarQuantizerGraph), false },
    };

    static ModelConfig Config(QuantizerKind kind) => kind switch
    {
        QuantizerKind.Rvq => Vq with { Quantizer = kind, Depth = 3 },
        QuantizerKind.Fsq => Vq with { Quantizer = kind, Levels = FsqLevels.Parse("4,2"), CodebookSize = 8 },
        _ => Vq,
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_has_its_graph_and_its_codes_take_the_descriptors_shape(QuantizerKind kind, Type graph, bool coversInt8)
    {
        var config = Config(kind);
        using var model = new VqVaeModel(config);
        var quantizerGraph = QuantizerGraph.For(model);
        Assert.IsType(graph, quantizerGraph);
        Assert.Equal(coversInt8, quantizerGraph.CoversInt8);
        var info = new CheckpointInfo { Model = config };
        var codes = VqVaeGraphs.Quantizer(model, info).Graph.Output.Single(o => o.Name == OnnxContract.Codes);
        var dims = codes.Type.TensorType.Shape.Dim.Skip(1).Select(d => (int)d.DimValue).ToArray();
        Assert.Equal(config.CodeShape, dims);
        Assert.Equal(quantizerGraph.CodesDoc, codes.DocString);
    }
}
