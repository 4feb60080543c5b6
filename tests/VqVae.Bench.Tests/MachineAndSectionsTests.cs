namespace VqVae.Bench.Tests;

public class MachineAndSectionsTests
{
    [Fact]
    public void Vector_units_say_yes_or_no_for_avx2_avx512_and_amx()
    {
        var sapphire = new HashSet<string> { "sse4_2", "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16" };
        Assert.Equal("AVX2 yes (fma), AVX-512 yes (avx512_bf16), AMX yes (amx_bf16)", MachineInfo.DescribeVectorUnits(sapphire));
        var older = new HashSet<string> { "sse4_2", "avx2" };
        Assert.Equal("AVX2 yes, AVX-512 no, AMX no", MachineInfo.DescribeVectorUnits(older));
    }

    [Fact]
    public void Only_picks_known_sections_and_refuses_memory_without_inference()
    {
        Assert.Equal(Sections.All.ToHashSet(), Sections.Parse(null, out var none));
        Assert.Null(none);
        Assert.Equal(new HashSet<string> { "inference", "memory" }, Sections.Parse("inference, memory", out var ok));
        Assert.Null(ok);
        Sections.Parse("inferense", out var unknown);
        Assert.Contains("unknown section 'inferense'", unknown);
        Sections.Parse("memory", out var alone);
        Assert.Contains("add inference", alone);
    }
}
