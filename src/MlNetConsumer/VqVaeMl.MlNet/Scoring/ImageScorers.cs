using Microsoft.ML;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>How a batch of images goes through the three graphs.</summary>
public enum BatchedGraphs
{
    /// <summary>ML.NET's ApplyOnnxModel, one row per batch (<see cref="TransformerBatchScorer"/>).</summary>
    Transformer,
    /// <summary>ONNX Runtime sessions of the scorer's own (<see cref="BatchedImageScorer"/>).</summary>
    Sessions,
}

/// <summary>The image scorer for a batch size: the one place that chooses between the three paths.</summary>
public static class ImageScorers
{
    /// <summary>
    /// The batched path `score` takes unless told otherwise. Both give the same codes and reconstructions
    /// (tests/MlNetConsumer.Tests/BatchedScorerTests.cs); the bench's "score from files" rows measure both
    /// side by side (docs/BENCHMARKS.md).
    /// </summary>
    public const BatchedGraphs DefaultBatchedGraphs = BatchedGraphs.Transformer;

    /// <summary>Batch 1 is ML.NET's row path (the whole fitted pipeline through a PredictionEngine); larger batches run each graph once per batch.</summary>
    public static IImageScorer Create(MLContext context, VqVaeModelFolder model, VqVaePipelineOptions options, int batchSize,
        BatchedGraphs graphs = DefaultBatchedGraphs) => (batchSize, graphs) switch
        {
            (1, _) => new RowImageScorer(VqVaeScoringModel.ForImages(context, model, options), model),
            (_, BatchedGraphs.Transformer) => new TransformerBatchScorer(context, model, options, batchSize),
            (_, BatchedGraphs.Sessions) => new BatchedImageScorer(context, model, options, batchSize),
            _ => throw new ArgumentOutOfRangeException(nameof(graphs), graphs, "not a batched path"),
        };
}
