namespace VqVaeMl.MlNet.Tests;

public class GridSampleTests
{
    [Fact]
    public void The_grid_sample_is_bounded_and_drawn_from_the_whole_stream()
    {
        var sample = new VqVaeMl.MlNet.Scoring.GridSample(5, seed: 0);
        for (int i = 0; i < 1000; i++) sample.Offer($"{i:D4}.png", new float[] { i }, new float[] { -i });
        var (inputs, outputs) = sample.InPathOrder();
        Assert.Equal(5, inputs.Length);
        Assert.Equal(inputs.Select(v => -v), outputs);
        Assert.Equal(inputs.Order(), inputs);                 // shown in path order
        Assert.True(inputs.Max() >= 500, "a sample of the first files only");
        Assert.Equal(inputs.Length, inputs.Distinct().Count());
    }
}
