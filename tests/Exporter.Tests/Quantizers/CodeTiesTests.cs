using VqVae.Exporter.Verification;

namespace VqVae.Exporter.Tests.Quantizers;

public sealed class CodeTiesTests
{
    // Codes 0 and 2 are the same vector, so any z is exactly as near to one as to the other.
    static readonly float[] Codebook = { 1, 0, /* 1: */ 0, 1, /* 2: */ 1, 0 };

    [Fact]
    public void Differing_codes_that_are_equally_near_count_as_a_tie()
    {
        float[] z = { 0.9f, 0.1f };
        var (ties, mismatches) = CodeTies.Compare(new long[] { 0 }, new long[] { 2 }, z, Codebook, depth: 2);
        Assert.Equal((1, 0), (ties, mismatches));
    }

    [Fact]
    public void Differing_codes_at_different_distances_count_as_a_mismatch()
    {
        float[] z = { 0.9f, 0.1f };
        var (ties, mismatches) = CodeTies.Compare(new long[] { 0 }, new long[] { 1 }, z, Codebook, depth: 2);
        Assert.Equal((0, 1), (ties, mismatches));
    }

    [Fact]
    public void A_near_tie_beyond_the_tolerance_is_a_mismatch_and_within_it_a_tie()
    {
        // z sits almost on the bisector of codes 0 and 1: the squared distances differ by 4e-4.
        float[] z = { 0.5001f, 0.4999f };
        var expected = new long[] { 0 };
        var actual = new long[] { 1 };
        Assert.Equal((0, 1), CodeTies.Compare(expected, actual, z, Codebook, depth: 2, tolerance: 1e-5));
        Assert.Equal((1, 0), CodeTies.Compare(expected, actual, z, Codebook, depth: 2, tolerance: 1e-3));
    }

    [Fact]
    public void Equal_codes_are_neither()
    {
        float[] z = { 0.2f, 0.7f, 0.9f, 0.0f };
        Assert.Equal((0, 0), CodeTies.Compare(new long[] { 1, 0 }, new long[] { 1, 0 }, z, Codebook, depth: 2));
    }

    [Fact]
    public void An_out_of_range_code_is_a_mismatch()
    {
        float[] z = { 0.9f, 0.1f };
        Assert.Equal((0, 1), CodeTies.Compare(new long[] { 0 }, new long[] { 7 }, z, Codebook, depth: 2));
    }
}
