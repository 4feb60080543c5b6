using VqVae.Exporter.Quantization;

namespace VqVae.Exporter.Tests;

public sealed class PerChannelInt8Tests
{
    [Fact]
    public void Each_column_gets_its_own_scale_and_round_trips_within_half_a_scale()
    {
        // Column 0 large, column 1 tiny, column 2 all zero: one shared scale would round column 1 to 0.
        var w = new float[] { 2.54f, 0.001f, 0, -1.0f, -0.0004f, 0, 0.3f, 0.0002f, 0 };
        var q = PerChannelInt8.Quantize(w, rows: 3, columns: 3);
        Assert.Equal(new[] { 2.54f / 127, 0.001f / 127, 1f }, q.Scales);
        Assert.Equal(new sbyte[] { 127, 127, 0, -50, -51, 0, 15, 25, 0 }, q.Values);
        var back = q.Dequantize();
        for (int i = 0; i < w.Length; i++) Assert.True(Math.Abs(back[i] - w[i]) <= q.Scales[i % 3] / 2 * (1 + 1e-6), $"{i}: {back[i]} vs {w[i]}");
    }

    [Fact]
    public void A_weight_that_is_not_finite_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => PerChannelInt8.Quantize(new[] { 1f, float.NaN }, 1, 2));
        Assert.Contains("[0, 1]", e.Message);
    }
}
