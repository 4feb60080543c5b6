using Microsoft.ML.OnnxRuntime;
using Onnx;
using TorchSharp;
using VqVae.Exporter.Graphs;

namespace VqVae.Exporter.Tests;

/// <summary>What a consumer relies on: names, element types, shapes with a symbolic N, standard ONNX, weights by name.</summary>
[Collection(ModelsCollection.Name)]
public sealed class GraphInterfaceTests(TrainedModels models)
{
    public static TheoryData<string> Names() => new(TrainedModels.Names);

    [Theory, MemberData(nameof(Names))]
    public void Declared_inputs_and_outputs_load_with_optimisations_off_and_on(string name)
    {
        var m = models[name];
        var c = m.Model.Config;
        int h = c.LatentHeight, w = c.LatentWidth, d = c.HiddenSize;
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            using var options = new SessionOptions { GraphOptimizationLevel = level };
            using var encoder = new InferenceSession(Path.Combine(m.OnnxDir, OnnxContract.EncoderFile), options);
            using var quantizer = new InferenceSession(Path.Combine(m.OnnxDir, OnnxContract.QuantizerFile), options);
            using var decoder = new InferenceSession(Path.Combine(m.OnnxDir, OnnxContract.DecoderFile), options);

            AssertValues(encoder.InputMetadata, (OnnxContract.Image, typeof(float), new[] { c.Channels, c.Height, c.Width }));
            AssertValues(encoder.OutputMetadata, (OnnxContract.ZE, typeof(float), new[] { h, w, d }));
            AssertValues(quantizer.InputMetadata, (OnnxContract.ZE, typeof(float), new[] { h, w, d }));
            AssertValues(quantizer.OutputMetadata, (OnnxContract.Codes, typeof(long), new[] { h, w }), (OnnxContract.ZQ, typeof(float), new[] { h, w, d }));
            AssertValues(decoder.InputMetadata, (OnnxContract.Codes, typeof(long), new[] { h, w }));
            AssertValues(decoder.OutputMetadata, (OnnxContract.Reconstruction, typeof(float), new[] { c.Channels, c.Height, c.Width }));
        }
    }

    /// <summary>Exactly these values, each [N, ...rest] with N symbolic.</summary>
    static void AssertValues(IReadOnlyDictionary<string, NodeMetadata> actual, params (string Name, Type Type, int[] Dims)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Name).Order(), actual.Keys.Order());
        foreach (var (name, type, dims) in expected)
        {
            var meta = actual[name];
            Assert.Equal(type, meta.ElementType);
            Assert.Equal(new[] { -1 }.Concat(dims), meta.Dimensions);
            Assert.Equal(OnnxContract.Batch, meta.SymbolicDimensions[0]);
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void Graphs_are_standard_onnx_with_weights_named_after_parameters(string name)
    {
        var m = models[name];
        var parameters = m.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var file in OnnxContract.Files)
        {
            var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(m.OnnxDir, file)));
            Assert.Equal(8, proto.IrVersion);
            var opset = Assert.Single(proto.OpsetImport);
            Assert.Equal("", opset.Domain);
            Assert.Equal(17, opset.Version);
            Assert.All(proto.Graph.Node, n => Assert.Equal("", n.Domain));
            Assert.All(proto.Graph.Input.Concat(proto.Graph.Output), v => Assert.False(string.IsNullOrWhiteSpace(v.DocString), $"{file}: {v.Name} has no doc string"));

            // Every float initializer is a model parameter under its state-dict name, bit for bit, in its
            // Torch shape (any reshaping is a node on it); the int64 ones are the target shapes of Reshape
            // and Tile nodes, and the quantizer's constants are its own.
            var weights = proto.Graph.Initializer
                .Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && !t.Name.StartsWith("quantizer.")).ToList();
            Assert.All(proto.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Int64),
                t => Assert.True(t.Dims.Count == 1 && t.Dims[0] <= 6, $"{file}: int64 initializer {t.Name} is not a shape"));
            Assert.NotEmpty(weights);
            foreach (var init in weights)
            {
                if (init.Name == DecoderTableGraph.TableName)
                {
                    // The decoder evaluated on every code at export: its pixels, bit for bit.
                    Assert.Equal(DecoderTableGraph.Pixels(m.Model).data<float>().ToArray(),
                        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(init.RawData.Span).ToArray());
                    continue;
                }
                Assert.True(parameters.TryGetValue(init.Name, out var p), $"{file}: initializer {init.Name} is not a parameter name");
                Assert.Equal(p!.shape, init.Dims.ToArray());
                var stored = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(init.RawData.Span).ToArray();
                Assert.Equal(p.detach().data<float>().ToArray(), stored);
            }
        }
        // Between them the graphs carry every parameter of the model.
        var exported = OnnxContract.Files
            .SelectMany(f => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(m.OnnxDir, f))).Graph.Initializer)
            .Select(t => t.Name).ToHashSet();
        // A decoder exported as its table carries its weights only through the table.
        bool table = exported.Contains(DecoderTableGraph.TableName);
        Assert.Equal(DecoderTableGraph.Fits(m.Model), table);
        Assert.Subset(exported, parameters.Keys.Where(k => !(table && k.StartsWith("decoder."))).ToHashSet());
    }

    [Fact]
    public void Quantizer_finds_the_nearest_code_with_one_Gemm_against_precomputed_codebook_terms()
    {
        var m = models["patch-gray"];
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(m.OnnxDir, OnnxContract.QuantizerFile)));
        var ops = proto.Graph.Node.Select(n => n.OpType).ToList();
        Assert.Contains("ArgMin", ops);
        // A pairwise-difference graph would broadcast z − E over [M, K, D] with Sub on an unsqueezed input;
        // nothing is computed from the codebook at run time (‖E‖², Eᵀ), nor ‖z‖², the same for every code of a row.
        Assert.DoesNotContain("Unsqueeze", ops);
        Assert.DoesNotContain("ReduceSumSquare", ops);
        Assert.DoesNotContain("Transpose", ops);
        var gemm = Assert.Single(proto.Graph.Node, n => n.OpType == "Gemm");
        Assert.Empty(gemm.Attribute);  // alpha = beta = 1, neither input transposed
        var initializers = proto.Graph.Initializer.ToDictionary(t => t.Name);
        float[] Floats(string name) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(initializers[name].RawData.Span).ToArray();

        var codebook = ((VqVae.Model.Quantizers.VectorQuantizer)m.Model.quantizer).weight.detach().cpu();
        int k = (int)codebook.shape[0], d = (int)codebook.shape[1];
        var e = codebook.data<float>().ToArray();
        Assert.Equal(new long[] { d, k }, initializers[gemm.Input[1]].Dims.ToArray());
        var minusTwoT = Floats(gemm.Input[1]);
        for (int j = 0; j < k; j++)
            for (int i = 0; i < d; i++)
                Assert.Equal(-2 * e[j * d + i], minusTwoT[i * k + j]);  // −2·Eᵀ exactly: scaling by 2 is exact
        Assert.Equal(new long[] { k }, initializers[gemm.Input[2]].Dims.ToArray());
        var squared = Floats(gemm.Input[2]);
        for (int j = 0; j < k; j++)
        {
            double sum = 0;
            for (int i = 0; i < d; i++) sum += (double)e[j * d + i] * e[j * d + i];
            Assert.Equal(sum, squared[j], tolerance: 1e-6 * Math.Max(1, sum));
        }
    }
}
