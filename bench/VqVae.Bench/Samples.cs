namespace VqVae.Bench;

/// <summary>Repeated measurements of one figure: the median is what is reported, min and max show the spread.</summary>
public sealed record Samples(IReadOnlyList<double> Values)
{
    public double Median
    {
        get
        {
            if (Values.Count == 0) throw new InvalidOperationException("no samples");
            var sorted = Values.Order().ToArray();
            int mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public double Min => Values.Min();
    public double Max => Values.Max();
    public int Count => Values.Count;

    public Samples Scale(double factor) => new(Values.Select(v => v * factor).ToArray());

    /// <summary>"123.4 (118.0–125.9, n=5)".</summary>
    public string Describe(string format = "F1") =>
        Count == 1 ? $"{Median.ToString(format)} (n=1)"
                   : $"{Median.ToString(format)} ({Min.ToString(format)}–{Max.ToString(format)}, n={Count})";
}
