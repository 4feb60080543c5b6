using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>The two pieces a merge relies on to equal a single run: the grid's positions and exact row text.</summary>
public class ShardMergePartsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(51)]
    [InlineData(1234)]
    public void Grid_positions_are_the_images_a_sample_of_the_whole_stream_keeps(int count)
    {
        var sample = new GridSample(50, seed: 0);
        for (int i = 0; i < count; i++) sample.Offer($"{i:D5}.png", [i], [i]);
        var (kept, _) = sample.InPathOrder();
        Assert.Equal(kept.Select(v => (int)v), GridSample.Positions(50, seed: 0, count));
    }

    [Fact]
    public void Records_come_back_with_their_exact_text_and_unquoted_path()
    {
        string[] paths = ["plain.png", "with, comma.png", "with \"quotes\".png", "line\nbreak.png", "carriage\r\nreturn.png", "lone\rcr.png"];
        var writer = new StringWriter();
        CodesCsv.WriteHeader(writer, 2);
        foreach (var p in paths) CodesCsv.WriteRow(writer, p, 1, 2, [3, 4]);
        var text = writer.ToString();

        using var reader = new CsvRecordReader(new StringReader(text), "codes.csv");
        var header = reader.ReadHeader();
        var records = new List<CsvRecord>();
        while (reader.Next() is { } r) records.Add(r);
        Assert.Equal("path,h,w,c0,c1\n", header);
        Assert.Equal(paths, records.Select(r => r.Path));
        Assert.Equal(text, header + string.Concat(records.Select(r => r.Text)));

        using var cut = new CsvRecordReader(new StringReader("path,h,w\nx.png,1,1,0"), "cut.csv");
        cut.ReadHeader();
        Assert.Contains("cut.csv: the last record has no closing line break", Assert.Throws<InvalidDataException>(() => cut.Next()).Message);
    }
}
