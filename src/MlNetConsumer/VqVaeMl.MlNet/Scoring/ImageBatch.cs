namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// What one call of an image scorer gave for each of its files, in the order they were given: a reason
/// the file could not be scored, or the pixels the encoder saw, the codes and the reconstruction. The
/// scorer owns and refills it on its next call, so a whole folder is scored in the memory of one batch.
/// </summary>
public sealed class ImageBatch
{
    readonly float[] pixels, reconstructions;
    readonly long[] codes;
    readonly string?[] problems;
    // Scored images are packed into the first rows of the tensors (a bad file leaves no gap for the
    // graphs to compute): slots[i] is file i's row, or -1.
    readonly int[] slots;

    public int Capacity { get; }
    /// <summary>Files in this batch.</summary>
    public int Count { get; private set; }
    /// <summary>Files of this batch that were scored.</summary>
    public int Scored { get; private set; }
    public int PixelCount { get; }
    public int CodeCount { get; }

    internal ImageBatch(int capacity, int pixelCount, int codeCount)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a batch holds at least one image");
        Capacity = capacity;
        PixelCount = pixelCount;
        CodeCount = codeCount;
        pixels = new float[capacity * pixelCount];
        reconstructions = new float[capacity * pixelCount];
        codes = new long[capacity * codeCount];
        problems = new string?[capacity];
        slots = new int[capacity];
    }

    /// <summary>Null when file <paramref name="index"/> was scored; otherwise why not.</summary>
    public string? Problem(int index) => problems[Check(index)];

    /// <summary>The resized input in 0..1, planar C·H·W.</summary>
    public ReadOnlySpan<float> Pixels(int index) => pixels.AsSpan(Slot(index) * PixelCount, PixelCount);
    /// <summary>h·w code indices, row-major.</summary>
    public ReadOnlySpan<long> Codes(int index) => codes.AsSpan(Slot(index) * CodeCount, CodeCount);
    /// <summary>The reconstruction in 0..1, planar C·H·W.</summary>
    public ReadOnlySpan<float> Reconstruction(int index) => reconstructions.AsSpan(Slot(index) * PixelCount, PixelCount);

    // Filling a batch: Reset; then each file's pixels into its own row (LoadRow) or a reason (Fail); then
    // Pack; then the graphs fill the first Scored rows of codes and reconstructions.

    internal void Reset(int count)
    {
        if (count > Capacity) throw new ArgumentException($"{count} files given to a batch of {Capacity}");
        Count = count;
        Scored = 0;
        Array.Fill(problems, null);
        Array.Fill(slots, -1);
    }

    /// <summary>Row <paramref name="index"/> of the pixel tensor, where file <paramref name="index"/>'s pixels go before packing.</summary>
    internal Span<float> LoadRow(int index) => pixels.AsSpan(Check(index) * PixelCount, PixelCount);

    internal void Fail(int index, string problem) => problems[Check(index)] = problem;

    /// <summary>Moves the loaded rows of the files that did not fail together, in order, to the front.</summary>
    internal void Pack()
    {
        Scored = 0;
        for (int i = 0; i < Count; i++)
        {
            if (problems[i] is not null) continue;
            int slot = Scored++;
            if (slot != i) pixels.AsSpan(i * PixelCount, PixelCount).CopyTo(pixels.AsSpan(slot * PixelCount, PixelCount));
            slots[i] = slot;
        }
    }

    /// <summary>The first Scored rows of each tensor, as the graphs take them.</summary>
    internal Memory<float> PixelRows => pixels.AsMemory(0, Scored * PixelCount);
    /// <summary>The whole pixel tensor, Capacity rows: the scored rows first, the rest left from earlier batches.</summary>
    internal float[] PixelTensor => pixels;
    internal Memory<long> CodeRows => codes.AsMemory(0, Scored * CodeCount);
    internal Memory<float> ReconstructionRows => reconstructions.AsMemory(0, Scored * PixelCount);

    int Check(int index) =>
        (uint)index < (uint)Count ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"the batch holds {Count} files");

    int Slot(int index) =>
        slots[Check(index)] is var slot and >= 0 ? slot : throw new InvalidOperationException($"file {index} of the batch was not scored: {problems[index]}");
}
