using System.Diagnostics;
using static TorchSharp.torch;

namespace VqVae.Bench;

/// <summary>FP32 matrix-product speed through libtorch on the bench's threads.</summary>
public static class LibtorchGemm
{
    /// <summary>
    /// GFLOP/s of <paramref name="repeats"/> timed products after one warm-up. With
    /// <paramref name="preallocated"/> the result goes into one output tensor (addmm_ with β = 0): the
    /// matrix units alone. Without, each product allocates its output as the model's layers do, so the
    /// difference is what fresh memory (page faults on first touch) costs at that size.
    /// </summary>
    public static Samples Measure(GemmShape shape, int repeats, bool preallocated)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var generator = new Generator(1);
        var a = randn(shape.M, shape.K, generator: generator);
        var b = randn(shape.K, shape.N, generator: generator);
        var c = empty(shape.M, shape.N);
        var gflops = new List<double>();
        for (int i = -1; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            if (preallocated) c.addmm_(a, b, beta: 0, alpha: 1);
            else using (a.matmul(b)) { }
            double seconds = clock.Elapsed.TotalSeconds;
            if (i >= 0) gflops.Add(shape.Flops / seconds / 1e9);
        }
        return new Samples(gflops);
    }
}
