using System.Buffers;
using System.Threading.Channels;

namespace VqVae.MlNetConsumer.Scoring;

/// <summary>
/// Writes the reconstruction PNGs on one task beside the scoring thread: encoding and writing them took
/// 15 % of `score`'s time on the scoring thread, where they held up the next batch. The queue is bounded,
/// so a slow disk makes scoring wait instead of filling memory; the first error the writer meets ends it,
/// and is thrown to the scoring thread by the next <see cref="Write"/> or by <see cref="Complete"/>.
/// </summary>
public sealed class ReconstructionWriter : IDisposable
{
    readonly record struct Reconstruction(string RelativePath, float[] Planes);

    readonly Channel<Reconstruction> queue;
    readonly Task writing;
    readonly string outputFolder;
    readonly int channels, height, width;
    bool completed;

    /// <param name="capacity">Reconstructions waiting to be written, at most (each a C·H·W float copy).</param>
    public ReconstructionWriter(string outputFolder, int channels, int height, int width, int capacity)
    {
        this.outputFolder = outputFolder;
        (this.channels, this.height, this.width) = (channels, height, width);
        queue = Channel.CreateBounded<Reconstruction>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        writing = Task.Run(WriteQueued);
    }

    /// <summary>Queues reconstructions/&lt;relative path&gt;(.png); waits while the queue is full. The values are copied.</summary>
    public void Write(string relativePath, ReadOnlySpan<float> reconstruction)
    {
        var planes = ArrayPool<float>.Shared.Rent(reconstruction.Length);
        reconstruction.CopyTo(planes);
        var item = new Reconstruction(relativePath, planes);
        if (queue.Writer.TryWrite(item)) return;
        try
        {
            queue.Writer.WriteAsync(item).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            // Closed early only by the writer's failure: throw that.
            ArrayPool<float>.Shared.Return(planes);
            writing.GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Waits until every queued PNG is written; throws the writer's error if it met one.</summary>
    public void Complete()
    {
        completed = true;
        queue.Writer.TryComplete();
        writing.GetAwaiter().GetResult();
    }

    async Task WriteQueued()
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync())
            {
                try
                {
                    FolderScorer.WritePng(outputFolder, item.RelativePath, item.Planes.AsSpan(0, channels * height * width), channels, height, width);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(item.Planes);
                }
            }
        }
        catch (Exception e)
        {
            queue.Writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>
    /// After a failure elsewhere in scoring (<see cref="Complete"/> not reached): stops the writer and waits
    /// for it, without a second exception — the one already on its way is the one to report.
    /// </summary>
    public void Dispose()
    {
        if (completed) return;
        queue.Writer.TryComplete();
        // The writer's own error, if any, would only hide the scoring error being thrown.
        writing.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
    }
}
