namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// A fixed-size uniform random sample of a stream of scored images (reservoir sampling), so the grid
/// shows the whole folder — not just its first, often alike, files — while memory stays bounded.
/// </summary>
public sealed class GridSample(int size, int seed)
{
    readonly List<(string Path, float[] Input, float[] Output)> kept = new();
    readonly Random random = new(seed);
    int seen;

    public void Offer(string path, ReadOnlySpan<float> input, ReadOnlySpan<float> output)
    {
        seen++;
        if (kept.Count < size) { kept.Add((path, input.ToArray(), output.ToArray())); return; }
        int slot = random.Next(seen);
        if (slot < size) kept[slot] = (path, input.ToArray(), output.ToArray());
    }

    /// <summary>
    /// The positions (ascending) that a sample of <paramref name="size"/> keeps from a stream of
    /// <paramref name="count"/> images. The draws depend on nothing but the count, so a merge of shards
    /// picks the images a single run over the same files would have picked.
    /// </summary>
    public static IReadOnlyList<int> Positions(int size, int seed, int count)
    {
        var kept = new List<int>();
        var random = new Random(seed);
        for (int seen = 1; seen <= count; seen++)
        {
            if (kept.Count < size) { kept.Add(seen - 1); continue; }
            int slot = random.Next(seen);
            if (slot < size) kept[slot] = seen - 1;
        }
        kept.Sort();
        return kept;
    }

    public (float[] Inputs, float[] Outputs) InPathOrder()
    {
        var ordered = kept.OrderBy(k => k.Path, StringComparer.Ordinal).ToList();
        return (ordered.SelectMany(k => k.Input).ToArray(), ordered.SelectMany(k => k.Output).ToArray());
    }
}
