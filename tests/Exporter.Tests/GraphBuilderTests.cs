using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using TorchSharp.Modules;
using VqVae.Exporter.Onnx;
using VqVae.Exporter.Verification;
using VqVae.TestSupport;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Tests;

// In the models' collection only so its torch.manual_seed cannot race the fixture's training (one global RNG).
[Collection(TrainedModelsCollection.Name)]
public sealed class GraphBuilderTests
{
    [Fact]
    public void A_node_reading_an_undefined_value_names_it()
    {
        var g = new OnnxGraphBuilder("g", "test");
        g.AddInput("x", DataType.Float, new Dim[] { 1 }, "x");
        var e = Assert.Throws<InvalidOperationException>(() => g.AddNode("Add", new[] { "x", "y" }, "z"));
        Assert.Contains("'y' is not defined", e.Message);
    }

    [Fact]
    public void A_value_assigned_twice_is_refused()
    {
        var g = new OnnxGraphBuilder("g", "test");
        g.AddInput("x", DataType.Float, new Dim[] { 1 }, "x");
        g.AddNode("Relu", new[] { "x" }, "y");
        var e = Assert.Throws<InvalidOperationException>(() => g.AddNode("Relu", new[] { "x" }, "y"));
        Assert.Contains("'y' is assigned twice", e.Message);
    }

    [Fact]
    public void An_output_nobody_computes_is_refused()
    {
        var g = new OnnxGraphBuilder("g", "test");
        var e = Assert.Throws<InvalidOperationException>(() => g.AddOutput("y", DataType.Float, new Dim[] { 1 }, "y"));
        Assert.Contains("'y' is not produced", e.Message);
    }

    [Fact]
    public void An_initializer_whose_values_do_not_fill_its_shape_is_refused()
    {
        var g = new OnnxGraphBuilder("g", "test");
        Assert.Throws<ArgumentException>(() => g.AddInitializer("w", new float[5], new long[] { 2, 3 }));
    }

    /// <summary>Module settings the VQ-VAE does not use (no bias, output padding, uneven padding, an Embedding) map as well.</summary>
    sealed class Mixed : nn.Module<Tensor, Tensor>
    {
        public readonly Embedding embed = nn.Embedding(10, 6);
        public readonly Conv2d conv = nn.Conv2d(6, 5, kernel_size: 3, stride: 2, padding: 1, bias: false);
        public readonly ConvTranspose2d up = nn.ConvTranspose2d(5, 4, kernel_size: 3, stride: 2, padding: 1, output_padding: 1);
        public readonly Linear linear = nn.Linear(4, 3, hasBias: false);

        public Mixed() : base("mixed") => RegisterComponents();

        /// <summary>codes [N, h, w] → [N, 2h', 2w', 3].</summary>
        public override Tensor forward(Tensor codes)
        {
            var x = embed.forward(codes).permute(0, 3, 1, 2);
            x = nn.functional.relu(up.forward(conv.forward(x)));
            return linear.forward(x.permute(0, 2, 3, 1));
        }
    }

    [Fact]
    public void Standalone_modules_map_to_nodes_that_match_torch()
    {
        torch.manual_seed(3);
        using var module = new Mixed();
        var g = new OnnxGraphBuilder("mixed", "test");
        var m = new ModuleOnnxMapper(g, module);
        g.AddInput("codes", DataType.Int64, new Dim[] { Dim.Symbolic("N"), 8, 8 }, "codes");
        var x = m.Permute(m.Embedding(module.embed, "codes"), "nchw", 0, 3, 1, 2);
        x = m.Relu(m.ConvTranspose2d(module.up, m.Conv2d(module.conv, x)), "relu");
        m.Linear(module.linear, m.Permute(x, "nhwc", 0, 2, 3, 1), "y");
        g.AddOutput("y", DataType.Float, new Dim[] { Dim.Symbolic("N"), 8, 8, 3 }, "y");
        Assert.Equal(new[] { "conv.weight", "embed.weight", "linear.weight", "up.bias", "up.weight" },
            g.Build("test", "0").Graph.Initializer.Select(t => t.Name).Order());

        var path = Path.Combine(Path.GetTempPath(), $"mixed-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(g.Build("test", "0")));
            using var graph = new OrtGraph(path, GraphOptimizationLevel.ORT_DISABLE_ALL);
            var codes = Enumerable.Range(0, 2 * 64).Select(i => (long)(i * 7 % 10)).ToArray();
            var actual = (float[])graph.Run("codes", codes, new long[] { 2, 8, 8 })["y"];
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var expected = module.forward(tensor(codes, new long[] { 2, 8, 8 }));
            Assert.Equal(new long[] { 2, 8, 8, 3 }, expected.shape);
            var diff = expected.data<float>().ToArray().Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(diff <= 1e-5, $"max diff {diff}");
        }
        finally { File.Delete(path); }
    }
}
