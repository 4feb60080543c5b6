namespace VqVae.Exporter.Verification;

/// <summary>
/// Two nearest-code searches may legitimately disagree only where two codes are equally near: float
/// sums in a different order can then pick either. This tells such ties from real disagreements by
/// recomputing both distances in double precision.
/// </summary>
public static class CodeTies
{
    /// <summary>Relative tolerance under which two squared distances count as equal.</summary>
    public const double DefaultTolerance = 1e-5;

    /// <summary>
    /// Compares code maps <paramref name="expected"/> and <paramref name="actual"/> ([M] each) for
    /// latents <paramref name="z"/> ([M, D]) against <paramref name="codebook"/> ([K, D]).
    /// </summary>
    public static (int Ties, int Mismatches) Compare(ReadOnlySpan<long> expected, ReadOnlySpan<long> actual,
        ReadOnlySpan<float> z, ReadOnlySpan<float> codebook, int depth, double tolerance = DefaultTolerance)
    {
        if (expected.Length != actual.Length) throw new ArgumentException($"code maps differ in size: {expected.Length} vs {actual.Length}");
        int ties = 0, mismatches = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] == actual[i]) continue;
            var zi = z.Slice(i * depth, depth);
            bool tie = actual[i] >= 0 && actual[i] < codebook.Length / depth
                && IsTie(zi, Row(codebook, expected[i], depth), Row(codebook, actual[i], depth), tolerance);
            if (tie) ties++; else mismatches++;
        }
        return (ties, mismatches);
    }

    /// <summary>|‖z − a‖² − ‖z − b‖²| ≤ tolerance · max(1, ‖z − a‖², ‖z − b‖²), in double precision.</summary>
    public static bool IsTie(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> b, double tolerance = DefaultTolerance)
    {
        double da = SquaredDistance(z, a), db = SquaredDistance(z, b);
        return Math.Abs(da - db) <= tolerance * Math.Max(1.0, Math.Max(da, db));
    }

    public static double SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) { double d = (double)x[i] - y[i]; sum += d * d; }
        return sum;
    }

    static ReadOnlySpan<float> Row(ReadOnlySpan<float> matrix, long row, int depth) => matrix.Slice((int)row * depth, depth);
}
