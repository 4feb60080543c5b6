namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// What both batched scorers share before the graphs: their refusals, the execution provider chosen as the
/// pipeline chooses it, and a batch filled from files by the batched pixel loader, packed for the graphs.
/// </summary>
internal sealed class BatchInput
{
    readonly IPixelLoader loader;

    public ExecutionProviderChoice Provider { get; }
    /// <summary>The caller's options with the chosen provider applied: what the graphs are opened with.</summary>
    public VqVaePipelineOptions Options { get; }
    public ImageBatch Batch { get; }

    public BatchInput(Microsoft.ML.MLContext context, VqVaeModelFolder model, VqVaePipelineOptions? options, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be at least 1");
        if (!model.HasEncoder)
            throw new InvalidOperationException($"{model.Folder}: opened for decoding only; open it with VqVaeModelFolder.Open to score images");
        options ??= VqVaePipelineOptions.Default;
        Provider = ExecutionProviderProbe.Choose(model, options);
        Options = Provider.Apply(options);
        loader = PixelLoader.ForBatches(context, model, Options);
        Batch = new ImageBatch(batchSize, model.PixelCount, model.CodeCount);
    }

    /// <summary>
    /// The files' pixels into the batch, packed; a bad file fails alone. One thread: reading the files on two,
    /// between the graph calls, was no faster on a 2-core machine.
    /// </summary>
    public ImageBatch Load(IReadOnlyList<string> paths)
    {
        Batch.Reset(paths.Count);
        loader.Load(paths, Batch);
        Batch.Pack();
        return Batch;
    }
}
