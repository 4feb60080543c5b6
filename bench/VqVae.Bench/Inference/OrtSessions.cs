using Microsoft.ML.OnnxRuntime;

namespace VqVae.Bench;

/// <summary>The ONNX Runtime session options every direct ORT measurement uses.</summary>
public static class OrtSessions
{
    /// <summary>
    /// CPU, full graph optimisation, intra-op threads = the bench's threads, one inter-op thread (the
    /// graphs are chains), and spinning off — as `vqvae-score` runs them (OrtSessionSettings): with it on,
    /// each of the three chained sessions' workers spin through the others' work, and the batched
    /// figure every fraction is taken of would be the slower one.
    /// </summary>
    public static SessionOptions Options(int threads)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}
