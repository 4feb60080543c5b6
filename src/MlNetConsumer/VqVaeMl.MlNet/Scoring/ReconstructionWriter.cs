using System.Buffers;
using System.Threading.Channels;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Writes the reconstruction PNGs on one task beside the scoring thread: encoding and writing them took
/// 15 % of `score`'s time on the scoring thread, where they held up the next batch. Reconstructions are
/// handed over a group at a time: each hand-over wakes a thread-pool thread, once per group rather than
/// once per image. The queue is bounded, so a slow
/// disk makes scoring wait instead of filling memory; the first error the writer meets ends it, and is
/// thrown to the scoring thread by a later <see cref="Write"/> or by <see cref="Complete"/>.
/// </summary>
public sealed class ReconstructionWriter : IDisposable
{
    sealed class Group(float[] planes)
    {
        public readonly List<string> Paths = [];
        public readonly float[] Planes = planes;
    }

    readonly Channel<Group> queue;
    readonly Task writing;
    readonly string outputFolder;
    readonly int channels, height, width, planeSize, imagesPerGroup;
    Group? pending;
    bool completed;

    /// <param name="imagesPerGroup">Reconstructions handed to the writer at once.</param>
    /// <param name="groupsQueued">Groups waiting to be written, at most (each holds C·H·W floats per image).</param>
    public ReconstructionWriter(string outputFolder, int channels, int height, int width, int imagesPerGroup, int groupsQueued = 2)
    {
        if (imagesPerGroup < 1 || groupsQueued < 1) throw new ArgumentOutOfRangeException(nameof(imagesPerGroup), "groups of at least one image, at least one queued");
        this.outputFolder = outputFolder;
        (this.channels, this.height, this.width) = (channels, height, width);
        planeSize = channels * height * width;
        this.imagesPerGroup = imagesPerGroup;
        queue = Channel.CreateBounded<Group>(new BoundedChannelOptions(groupsQueued)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        writing = Task.Run(WriteQueued);
    }

    /// <summary>Queues reconstructions/&lt;relative path&gt;(.png). The values are copied; waits while the queue is full.</summary>
    public void Write(string relativePath, ReadOnlySpan<float> reconstruction)
    {
        if (reconstruction.Length != planeSize)
            throw new ArgumentException($"expected {channels}×{height}×{width} values, got {reconstruction.Length}");
        pending ??= new Group(ArrayPool<float>.Shared.Rent(imagesPerGroup * planeSize));
        reconstruction.CopyTo(pending.Planes.AsSpan(pending.Paths.Count * planeSize));
        pending.Paths.Add(relativePath);
        if (pending.Paths.Count == imagesPerGroup) HandOver();
    }

    /// <summary>Waits until every queued PNG is written; throws the writer's error if it met one.</summary>
    public void Complete()
    {
        completed = true;
        HandOver();
        queue.Writer.TryComplete();
        writing.GetAwaiter().GetResult();
    }

    void HandOver()
    {
        if (pending is not { Paths.Count: > 0 } group) return;
        pending = null;
        if (queue.Writer.TryWrite(group)) return;
        try
        {
            queue.Writer.WriteAsync(group).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            // Closed early only by the writer's failure: throw that.
            ArrayPool<float>.Shared.Return(group.Planes);
            writing.GetAwaiter().GetResult();
            throw;
        }
    }

    async Task WriteQueued()
    {
        try
        {
            var folders = new HashSet<string>();
            await foreach (var group in queue.Reader.ReadAllAsync())
            {
                try
                {
                    for (int i = 0; i < group.Paths.Count; i++)
                        FolderScorer.WritePng(outputFolder, group.Paths[i], group.Planes.AsSpan(i * planeSize, planeSize), channels, height, width, folders);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(group.Planes);
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
        completed = true;
        queue.Writer.TryComplete();
        writing.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
    }
}
