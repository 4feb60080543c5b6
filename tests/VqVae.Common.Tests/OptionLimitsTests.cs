namespace VqVae.Common.Tests;

/// <summary>The bounds of numeric options: derived from memory and array sizes, never wrapping around.</summary>
public class OptionLimitsTests
{
    [Fact]
    public void A_count_whose_memory_exceeds_what_is_available_is_refused_with_the_largest_that_fits()
    {
        OptionLimits.Memory("--batch-size", 1000, 1024, "a batch", availableBytes: 1024 * 1000);
        var e = Assert.Throws<OptionOutOfRangeException>(() => OptionLimits.Memory("--batch-size", 1001, 1024, "a batch", availableBytes: 1024 * 1000));
        Assert.Equal("--batch-size 1001: a batch would need 1001.0 KiB, more than the 1000.0 KiB of memory here (at most 1000)", e.Message);
    }

    [Fact]
    public void A_count_whose_array_would_exceed_the_largest_dotnet_array_is_refused_before_memory_is_weighed()
    {
        var e = Assert.Throws<OptionOutOfRangeException>(() =>
            OptionLimits.Memory("--count", int.MaxValue, 1, "the samples", elementsPerUnit: 2, availableBytes: long.MaxValue));
        Assert.Equal($"--count {int.MaxValue}: the samples would not fit in one array (at most {Array.MaxLength / 2})", e.Message);
    }

    [Fact]
    public void Thread_counts_above_the_limit_are_refused_and_none_given_is_fine()
    {
        OptionLimits.Threads("--threads", null);
        OptionLimits.Threads("--threads", OptionLimits.MaxThreads);
        Assert.Throws<OptionOutOfRangeException>(() => OptionLimits.Threads("--threads", OptionLimits.MaxThreads + 1));
    }

    [Theory]
    [InlineData(512, "512 bytes")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(3.5 * 1024 * 1024 * 1024 * 1024, "3.5 TiB")]
    public void Byte_counts_are_written_in_the_largest_unit(double bytes, string text) => Assert.Equal(text, OptionLimits.Bytes(bytes));

    [Fact]
    public void Fsq_levels_whose_product_overflows_a_long_count_as_the_most_codes_not_as_none()
    {
        Assert.Equal(long.MaxValue, FsqLevels.Parse("65536,65536,65536,65536").CodeCount);
        Assert.Equal(1000L, FsqLevels.Parse("8,5,5,5").CodeCount);
    }
}
