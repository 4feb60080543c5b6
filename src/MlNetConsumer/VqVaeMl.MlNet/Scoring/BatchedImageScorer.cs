using Microsoft.ML;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Scores images in batches: each file is checked, read, resized and turned into pixels by the pipeline's
/// own fitted ML.NET steps (<see cref="VqVaeCatalog.VqVaeLoadPixels"/>, so the encoder sees exactly what
/// the PredictionEngine path gives it), then the whole batch goes through each graph in one ONNX Runtime
/// call. ML.NET's ApplyOnnxModel runs one row per call, and a batch-1 call does a fraction of a batched
/// one's work per second; this is the same graphs and execution provider, many rows per call.
/// </summary>
public sealed class BatchedImageScorer : IImageScorer
{
    /// <summary>`score`'s default batch size; see docs/CLI.md, `vqvae-score`, for how it was chosen.</summary>
    public const int DefaultBatchSize = 64;

    readonly BatchInput input;
    readonly OrtGraphChain graphs;

    public int BatchSize => input.Batch.Capacity;
    /// <summary>Where the graphs run, chosen as the pipeline chooses (see ExecutionProviderProbe).</summary>
    public ExecutionProviderChoice Provider => input.Provider;
    public string ExecutionProvider => Provider.Provider;

    /// <summary>
    /// Fits the image steps and opens the three graphs with <paramref name="options"/> (GPU device, CPU
    /// fallback, image folder, resizing, intra-op threads). Throws ExecutionProviderException when CUDA
    /// cannot start and fallback is off.
    /// </summary>
    public BatchedImageScorer(MLContext context, VqVaeModelFolder model, VqVaePipelineOptions? options = null, int batchSize = DefaultBatchSize)
        : this(context, model, options, batchSize, OrtSessionSettings.DefaultSpinning) { }

    /// <param name="spinning">ONNX Runtime's session.intra_op.allow_spinning, for measuring it.</param>
    internal BatchedImageScorer(MLContext context, VqVaeModelFolder model, VqVaePipelineOptions? options, int batchSize, bool spinning)
    {
        input = new BatchInput(context, model, options, batchSize);
        graphs = new OrtGraphChain(model, ExecutionProvider, input.Options, spinning);
        graphs.WarmUp(batchSize, model.PixelCount, model.CodeCount);
    }

    /// <summary>
    /// Memory one image of a batch takes, estimated from the graphs' tensors: pixels in and out, the
    /// encoder's latents, the quantizer's distances to every code, and the codes.
    /// </summary>
    public static double BytesPerImage(VqVaeModelFolder model)
    {
        var c = model.Config;
        double positions = (double)c.LatentHeight * c.LatentWidth;
        return 4.0 * 3 * model.PixelCount + positions * (4.0 * 2 * c.HiddenSize + 4.0 * c.CodebookSize * c.CodesPerPosition) + 8.0 * model.CodeCount;
    }

    public ImageBatch Score(IReadOnlyList<string> paths)
    {
        var batch = input.Load(paths);
        if (batch.Scored > 0)
            graphs.Run(batch.Scored, batch.PixelRows, batch.CodeRows, batch.ReconstructionRows);
        return batch;
    }

    public void Dispose() => graphs.Dispose();
}
