using Microsoft.ML.OnnxRuntime;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// The ONNX Runtime session options of <see cref="BatchedImageScorer"/>'s three graphs: the pipeline's
/// execution provider and intra-op threads, full graph optimisation, and no spinning worker threads.
/// </summary>
internal static class OrtSessionSettings
{
    /// <summary>
    /// Spinning off. ONNX Runtime's intra-op workers spin-wait for the next parallel loop after each one;
    /// with three sessions run one after another, each session's pool spins through the other two
    /// sessions' work and takes the cores they need. Measured side by side on a 2-core machine
    /// (docs/BENCHMARKS.md, "Levers"), 2 threads, the reference presets' graphs, medians of 3: `score` at batch 64 did
    /// 693 images/s with spinning off against 322 with it on (MNIST, 997 PNG files) and 215 against 172
    /// (Pokémon, 671 files); the three sessions alone on pixels in memory, batch 256: 1066 against 735
    /// and 324 against 252.
    /// </summary>
    public const bool DefaultSpinning = false;

    /// <param name="provider">"CUDA" or "CPU", as ExecutionProviderProbe answered for the same options.</param>
    public static SessionOptions Create(string provider, VqVaePipelineOptions options, bool spinning)
    {
        var session = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Each graph is a chain of nodes: nothing for inter-op parallelism to run side by side.
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
            // 0 is ONNX Runtime's own default: one thread per physical core.
            IntraOpNumThreads = options.IntraOpThreads ?? 0,
        };
        if (!spinning) session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (provider == ExecutionProviderProbe.Cuda && options.GpuDeviceId is int device)
            session.AppendExecutionProvider_CUDA(device);
        return session;
    }
}
