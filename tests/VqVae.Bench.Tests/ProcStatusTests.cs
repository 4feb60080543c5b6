namespace VqVae.Bench.Tests;

public class ProcStatusTests
{
    [Fact]
    public void Reads_this_process_resident_memory_and_its_peak()
    {
        var (rss, peak) = ProcStatus.Read(Environment.ProcessId) ?? throw new Xunit.Sdk.XunitException("no /proc status for this process");
        // A .NET test host holds tens of megabytes at least, and the peak is never below the present.
        Assert.InRange(rss, 10_000_000, long.MaxValue);
        Assert.True(peak >= rss, $"VmHWM {peak} < VmRSS {rss}");
    }

    [Fact]
    public void A_process_that_does_not_exist_reads_as_null()
    {
        Assert.Null(ProcStatus.Read(int.MaxValue));
    }
}
