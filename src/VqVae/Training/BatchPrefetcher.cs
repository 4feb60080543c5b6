using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>
/// Hands out the batches of one pass over <see cref="ITrainingImages"/> in a given order, each one
/// prepared on a worker thread while the caller trains on the one before: the pixels of the next
/// batch are copied (and turned into floats) from the cache during the current step. One batch is
/// prepared ahead into one buffer, so memory holds two batches at most. Tensors are made on the
/// caller's thread, in its current dispose scope.
/// </summary>
public sealed class BatchPrefetcher : IDisposable
{
    readonly ITrainingImages images;
    readonly int[] order;
    readonly int batchSize;
    readonly float[] buffer;
    Task? pending;
    int next;

    /// <param name="batches">How many batches to hand out (the pass may stop early); the last may be short.</param>
    public BatchPrefetcher(ITrainingImages images, int[] order, int batchSize, int batches)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        this.images = images;
        this.order = order;
        this.batchSize = batchSize;
        Batches = Math.Min(batches, (order.Length + batchSize - 1) / batchSize);
        buffer = new float[(long)Math.Min(batchSize, order.Length) * images.Channels * images.Height * images.Width];
        if (Batches > 0) Prepare(0);
    }

    public int Batches { get; }

    /// <summary>The next batch [n, C, H, W] on the CPU; the batch after it starts being prepared.</summary>
    public Tensor Next()
    {
        if (next >= Batches) throw new InvalidOperationException($"all {Batches} batches were handed out");
        pending!.GetAwaiter().GetResult(); // rethrows the worker's exception as it was
        var batch = ImageBatches.ToTensor(buffer, BatchLength(next), images);
        next++;
        if (next < Batches) Prepare(next);
        else pending = null;
        return batch;
    }

    int BatchLength(int batch) => Math.Min(batchSize, order.Length - batch * batchSize);

    void Prepare(int batch)
    {
        var positions = new ReadOnlyMemory<int>(order, batch * batchSize, BatchLength(batch));
        pending = Task.Run(() => images.CopyBatch(positions.Span, buffer));
    }

    /// <summary>Waits for a batch still being prepared, so nothing reads the images after their owner closes them.</summary>
    public void Dispose()
    {
        try { pending?.Wait(); }
        catch (AggregateException) { } // the caller stopped early; the batch it never took does not matter
        pending = null;
    }
}
