using VqVae.Model.Quantizers;
using static TorchSharp.torch;

namespace VqVae.Tests.Model.Quantizers;

/// <summary>
/// Pins which level is which digit of an FSQ code: the first channel is the least significant digit (it changes
/// fastest), the last the most significant. codes.csv, the exported graphs and every saved checkpoint depend on
/// it. The expectations are worked out by hand for levels 8,5,3,4, whose place values are 1, 8, 8·5 = 40 and
/// 8·5·3 = 120; a channel's digit d of L levels sits at (d − ⌊L/2⌋) / ⌊L/2⌋ on the normalised grid.
/// </summary>
public class FsqDigitOrderTests
{
    static readonly FsqLevels Levels = new([8, 5, 3, 4]);

    /// <summary>Code, then its grid point (channel 0 first), each worked out by hand.</summary>
    public static TheoryData<long, float[]> Codes() => new()
    {
        { 0, [-1f, -1f, -1f, -1f] },                // digits 0,0,0,0
        { 1, [-0.75f, -1f, -1f, -1f] },             // digits 1,0,0,0: the first channel moves first
        { 7, [0.75f, -1f, -1f, -1f] },              // digits 7,0,0,0: the first channel's last level
        { 8, [-1f, -0.5f, -1f, -1f] },              // digits 0,1,0,0: one past it carries into the second
        { 40, [-1f, -1f, 0f, -1f] },                // digits 0,0,1,0
        { 120, [-1f, -1f, -1f, -0.5f] },            // digits 0,0,0,1: the last channel is the most significant
        { 309, [0.25f, 0.5f, 0f, 0f] },             // 309 = 2·120 + 1·40 + 3·8 + 5: digits 5,3,1,2
        { 159, [0.75f, 1f, -1f, -0.5f] },           // 159 = 1·120 + 0·40 + 4·8 + 7: digits 7,4,0,1
        { 479, [0.75f, 1f, 1f, 0.5f] },             // the last code, 8·5·3·4 − 1: digits 7,4,2,3
    };

    [Theory]
    [MemberData(nameof(Codes))]
    public void A_code_names_the_grid_point_whose_first_channel_is_its_least_significant_digit(long code, float[] point)
    {
        var fsq = new FiniteScalarQuantizer(Levels, hiddenSize: 6);
        Assert.Equal(point, fsq.GridOfCodes(tensor(new[] { code })).data<float>().ToArray());
        Assert.Equal(code, fsq.CodesOfGrid(tensor(point).reshape(1, 4)).item<long>());
    }

    [Fact]
    public void The_place_values_grow_from_the_first_channel_to_the_last()
    {
        var fsq = new FiniteScalarQuantizer(Levels, hiddenSize: 6);
        Assert.Equal([1L, 8L, 40L, 120L], fsq.Basis);
        Assert.Equal(480, fsq.CodebookSize);
    }
}
