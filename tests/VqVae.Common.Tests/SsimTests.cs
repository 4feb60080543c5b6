using System.Text.Json;
using VqVae.TestSupport;
using VqVaeMl.Common.Imaging;

namespace VqVae.Common.Tests;

/// <summary>
/// SSIM against scikit-image 0.19.3's values (tests/fixtures/ssim, made with the settings the docs give) and
/// against cases worked out by hand.
/// </summary>
public class SsimTests
{
    static readonly JsonElement Fixture = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(LegacyFixture.RepoRoot(), "tests", "fixtures", "ssim", "ssim.json"))).RootElement;

    static (float[] Pixels, int C, int H, int W) Image(string name)
    {
        var image = Fixture.GetProperty("images").GetProperty(name);
        var shape = image.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var pixels = image.GetProperty("values").EnumerateArray().Select(v => v.GetInt32() / 255f).ToArray();
        return (pixels, shape[0], shape[1], shape[2]);
    }

    public static TheoryData<string, string> Pairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var pair in Fixture.GetProperty("pairs").EnumerateArray())
            pairs.Add(pair.GetProperty("a").GetString()!, pair.GetProperty("b").GetString()!);
        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Agrees_with_scikit_image(string a, string b)
    {
        var pair = Fixture.GetProperty("pairs").EnumerateArray()
            .First(p => p.GetProperty("a").GetString() == a && p.GetProperty("b").GetString() == b);
        var (x, c, h, w) = Image(a);
        var (y, _, _, _) = Image(b);
        // The pixels are float32 here, float64 in scikit-image: they differ by ~1e-8, the SSIMs by far less than 1e-6.
        Assert.Equal(pair.GetProperty("ssim").GetDouble(), Ssim.Mean(x, y, c, h, w), 6);
    }

    [Fact]
    public void The_window_is_scikit_images()
    {
        var expected = Fixture.GetProperty("settings").GetProperty("gaussian_taps").EnumerateArray().Select(t => t.GetDouble()).ToArray();
        Assert.Equal(expected.Length, Ssim.GaussianWindow.Count);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], Ssim.GaussianWindow[k], 15);
        Assert.Equal(Ssim.Radius, Fixture.GetProperty("settings").GetProperty("border_left_out").GetInt32());
    }

    [Fact]
    public void Two_constants_give_the_luminance_term_alone()
    {
        // Every local variance and covariance is 0, so the contrast-structure factor is C2 / C2 = 1 and
        // SSIM = (2ab + C1) / (a² + b² + C1) at every pixel.
        const int size = 12;
        float a = 200 / 255f, b = 50 / 255f;
        var x = Enumerable.Repeat(a, size * size).ToArray();
        var y = Enumerable.Repeat(b, size * size).ToArray();
        double c1 = 0.01 * 0.01;
        double expected = (2.0 * a * b + c1) / ((double)a * a + (double)b * b + c1);
        Assert.Equal(expected, Ssim.Mean(x, y, 1, size, size), 12);
    }

    [Fact]
    public void An_image_against_itself_gives_one()
    {
        var random = new Random(3);
        var image = Enumerable.Range(0, 3 * 13 * 17).Select(_ => random.NextSingle()).ToArray();
        Assert.Equal(1.0, Ssim.Mean(image, image, 3, 13, 17), 12);
        var constant = Enumerable.Repeat(0.25f, 11 * 11).ToArray();
        Assert.Equal(1.0, Ssim.Mean(constant, constant, 1, 11, 11), 12);
    }

    [Fact]
    public void Images_smaller_than_the_window_have_none()
    {
        Assert.False(Ssim.IsDefined(10, 28));
        Assert.True(Ssim.IsDefined(11, 11));
        var small = new float[8 * 8];
        Assert.Throws<ArgumentException>(() => Ssim.Mean(small, small, 1, 8, 8));
    }
}
