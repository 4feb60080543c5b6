namespace VqVae.Training;

/// <summary>
/// The images a training run reads, by position: a memory-mapped cache (<see cref="CachedImages"/>)
/// or pixels already in memory (<see cref="InMemoryImages"/>). Batches are copied out as floats 0..1,
/// N×C×H×W; no tensor is made here, so a batch can be prepared on another thread.
/// </summary>
public interface ITrainingImages
{
    int Count { get; }
    int Channels { get; }
    int Height { get; }
    int Width { get; }

    /// <summary>Copies the images at <paramref name="positions"/>, in that order, into <paramref name="destination"/>. Thread-safe.</summary>
    void CopyBatch(ReadOnlySpan<int> positions, Span<float> destination);
}
