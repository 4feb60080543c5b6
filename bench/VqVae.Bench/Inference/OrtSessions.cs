using Microsoft.ML.OnnxRuntime;

namespace VqVae.Bench;

/// <summary>The ONNX Runtime session options every direct ORT measurement uses.</summary>
public static class OrtSessions
{
    /// <summary>CPU, full graph optimisation, intra-op threads = the bench's threads, one inter-op thread (the graphs are chains).</summary>
    public static SessionOptions Options(int threads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
    };
}
