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

/// <summary>metrics.csv's figures found by the header's names, for shards written before and after the ssim column.</summary>
public class MetricsColumnsTests
{
    [Fact]
    public void Reads_rows_with_and_without_the_ssim_column()
    {
        var today = MetricsColumns.Of("path,mse,psnr,ssim\n", "metrics.csv");
        Assert.Equal((0.25, 6.0, (double?)0.5), today.Values("\"a,b.png\",0.25,6,0.5\n", "row"));
        Assert.Equal((0.25, 6.0, (double?)null), today.Values("small.png,0.25,6,\n", "row"));   // images under the SSIM window
        var before = MetricsColumns.Of("path,mse,psnr\n", "metrics.csv");
        Assert.Equal((0.125, 9.0, (double?)null), before.Values("x.png,0.125,9\n", "row"));
    }

    [Fact]
    public void A_header_or_row_without_the_figures_is_named()
    {
        Assert.Contains("old/metrics.csv: its header is not path,mse,psnr,ssim",
            Assert.Throws<InvalidDataException>(() => MetricsColumns.Of("path,error\n", "old/metrics.csv")).Message);
        var columns = MetricsColumns.Of("path,mse,psnr,ssim\n", "metrics.csv");
        Assert.Contains("row for x.png has fewer than 4 fields",
            Assert.Throws<InvalidDataException>(() => columns.Values("x.png,0.1\n", "row for x.png")).Message);
        Assert.Contains("'abc' is not a number", Assert.Throws<InvalidDataException>(() => columns.Values("x.png,abc,1,1\n", "row")).Message);
    }
}
