using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Scores images in batches through ML.NET's own ONNX transformer: the pipeline's image steps fill a batch's
/// pixel tensor (as in <see cref="BatchedImageScorer"/>), then one ML.NET row holding the whole batch goes
/// through ApplyOnnxModel's encoder, quantizer and decoder (<see cref="VqVaeCatalog.VqVaeBatchedGraphs"/>),
/// each graph run once per batch. ApplyOnnxModel takes only a fixed batch dimension, so a batch with fewer
/// images (the last one, or one with bad files) is computed at full size; the graphs treat every image
/// on its own, and the rows past the images scored are ignored.
/// </summary>
public sealed class TransformerBatchScorer : IImageScorer
{
    /// <summary>One row: a whole batch of pixels, batch·C·H·W values (its vector size set by <see cref="VqVaeBatchedGraphs"/>' schema).</summary>
    sealed class BatchRow
    {
        [ColumnName(OnnxContract.Image)] public float[] Pixels { get; set; } = [];
    }

    sealed class BatchResult
    {
        [ColumnName(OnnxContract.Codes)] public long[] Codes { get; set; } = [];
        [ColumnName(OnnxContract.Reconstruction)] public float[] Reconstruction { get; set; } = [];
    }

    readonly BatchInput input;
    readonly ITransformer graphs;
    readonly PredictionEngine<BatchRow, BatchResult> engine;
    readonly BatchRow row;
    BatchResult result = new();

    public int BatchSize => input.Batch.Capacity;
    public ExecutionProviderChoice Provider => input.Provider;

    /// <summary>
    /// Fits the image steps in <paramref name="context"/> and the three graphs in a context of their own, whose
    /// ONNX Runtime session options are <see cref="BatchedImageScorer"/>'s (see OrtSessionSettings: no spinning
    /// threads), so both batched paths run the same sessions and the caller's context keeps its own settings.
    /// </summary>
    public TransformerBatchScorer(MLContext context, VqVaeModelFolder model, VqVaePipelineOptions? options = null, int batchSize = BatchedImageScorer.DefaultBatchSize)
    {
        input = new BatchInput(context, model, options, batchSize);
        row = new BatchRow { Pixels = input.Batch.PixelTensor };

        var graphContext = new MLContext(seed: 0);
        var sessionOptions = input.Options;
        graphContext.SetOnnxSessionOption(new OnnxSessionOptions
        {
            CreateSessionOptions = () => OrtSessionSettings.Create(Provider.Provider, sessionOptions, OrtSessionSettings.DefaultSpinning),
        });
        var schema = SchemaDefinition.Create(typeof(BatchRow));
        schema[OnnxContract.Image].ColumnType = new VectorDataViewType(NumberDataViewType.Single, batchSize * model.PixelCount);
        var empty = graphContext.Data.LoadFromEnumerable(Array.Empty<BatchRow>(), schema);
        graphs = graphContext.Transforms.VqVaeBatchedGraphs(model, batchSize, input.Options).Fit(empty);
        engine = graphContext.Model.CreatePredictionEngine<BatchRow, BatchResult>(graphs, inputSchemaDefinition: schema);
        // As OrtGraphChain.WarmUp: ONNX Runtime's first two runs of a session are the slow ones.
        for (int i = 0; i < 2; i++) engine.Predict(row, ref result);
    }

    public ImageBatch Score(IReadOnlyList<string> paths)
    {
        var batch = input.Load(paths);
        if (batch.Scored == 0) return batch;
        // Predict(input, ref output) refills the same result arrays each batch.
        engine.Predict(row, ref result);
        result.Codes.AsSpan(0, batch.CodeRows.Length).CopyTo(batch.CodeRows.Span);
        result.Reconstruction.AsSpan(0, batch.ReconstructionRows.Length).CopyTo(batch.ReconstructionRows.Span);
        return batch;
    }

    public void Dispose()
    {
        engine.Dispose();
        (graphs as IDisposable)?.Dispose();
    }
}
