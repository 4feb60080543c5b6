using VqVae.Training;

namespace VqVae.Bench;

/// <summary>One product shape measured three ways (GFLOP/s).</summary>
public sealed record GemmResult(GemmShape Shape, Samples Libtorch, Samples LibtorchFreshOutput, Samples Ort);

/// <summary>The machine's FP32 matrix-product ceiling at the model's own product shapes.</summary>
public sealed record CeilingResult(IReadOnlyList<GemmResult> Shapes)
{
    /// <summary>The ceiling every fraction is taken of: the best libtorch median over the shapes.</summary>
    public double LibtorchGflops => Shapes.Max(s => s.Libtorch.Median);
    public double OrtGflops => Shapes.Max(s => s.Ort.Median);
    public GemmShape LibtorchBestShape => Shapes.MaxBy(s => s.Libtorch.Median)!.Shape;
}

public static class CeilingBench
{
    public static CeilingResult Run(BenchSettings settings, Action<string> log)
    {
        var shapes = new[] { "mnist", "pokemon" }
            .SelectMany(p => { var o = Presets.Get(p); return GemmShape.Largest(p, o.Model, o.BatchSize, settings.AllGemmShapes); })
            .ToList();
        var results = new List<GemmResult>();
        foreach (var shape in shapes)
        {
            log($"matrix product {shape.Use} {shape.Dims}");
            results.Add(new GemmResult(shape,
                LibtorchGemm.Measure(shape, settings.GemmRepeats, preallocated: true),
                LibtorchGemm.Measure(shape, settings.GemmRepeats, preallocated: false),
                OrtGemm.Measure(shape, settings.GemmRepeats, settings.Threads)));
        }
        return new CeilingResult(results);
    }
}
