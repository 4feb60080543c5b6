namespace VqVae.Bench.Tests;

public class SamplesTests
{
    [Fact]
    public void Median_of_odd_and_even_counts_and_the_spread()
    {
        var odd = new Samples([5.0, 1.0, 3.0]);
        Assert.Equal(3.0, odd.Median);
        Assert.Equal(1.0, odd.Min);
        Assert.Equal(5.0, odd.Max);
        Assert.Equal(2.5, new Samples([4.0, 1.0, 2.0, 3.0]).Median);
    }

    [Fact]
    public void No_samples_has_no_median()
    {
        Assert.Throws<InvalidOperationException>(() => new Samples([]).Median);
    }
}
