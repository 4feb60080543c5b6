using System.Diagnostics;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using VqVae.Exporter.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Bench;

/// <summary>FP32 matrix-product speed through ONNX Runtime: a one-node MatMul graph.</summary>
public static class OrtGemm
{
    /// <summary>
    /// GFLOP/s of a graph Y = A × B where B is an initializer (as the model's weights are, so ORT may
    /// pre-pack it) and Y is written into one preallocated buffer; intra-op threads = <paramref name="threads"/>.
    /// </summary>
    public static Samples Measure(GemmShape shape, int repeats, int threads)
    {
        var random = new Random(1);
        var weights = RandomValues(random, shape.K * shape.N);
        var g = new OnnxGraphBuilder("matmul", "One MatMul, to measure ONNX Runtime's FP32 matrix product.");
        g.AddInput("a", DataType.Float, [shape.M, shape.K], "left operand");
        g.AddInitializer("b", weights, [shape.K, shape.N], "right operand, a constant as weights are");
        g.AddNode("MatMul", ["a", "b"], "y");
        g.AddOutput("y", DataType.Float, [shape.M, shape.N], "product");
        var bytes = g.Build("vqvae-bench", "1").ToByteArray();

        using var options = OrtSessions.Options(threads);
        using var session = new InferenceSession(bytes, options);
        var input = RandomValues(random, shape.M * shape.K);
        var output = new float[shape.M * shape.N];
        using var a = OrtValue.CreateTensorValueFromMemory(input, [shape.M, shape.K]);
        using var y = OrtValue.CreateTensorValueFromMemory(output, [shape.M, shape.N]);
        using var run = new RunOptions();
        var gflops = new List<double>();
        for (int i = -1; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            session.Run(run, ["a"], [a], ["y"], [y]);
            double seconds = clock.Elapsed.TotalSeconds;
            if (i >= 0) gflops.Add(shape.Flops / seconds / 1e9);
        }
        return new Samples(gflops);
    }

    static float[] RandomValues(Random random, long count)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
