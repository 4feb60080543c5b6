using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>codes.csv, shard selection and image metrics on their own.</summary>
public sealed class FormatTests
{
    [Fact]
    public void Codes_csv_round_trips_paths_with_commas_quotes_line_breaks_and_carriage_returns()
    {
        string[] paths = ["plain.png", "a,b.png", "say \"hi\".png", "two\nlines.png", "carriage\rreturn.png", "ends in crlf\r\n", "trailing\r"];
        var writer = new StringWriter();
        CodesCsv.WriteHeader(writer, 4);
        for (int i = 0; i < paths.Length; i++) CodesCsv.WriteRow(writer, paths[i], 2, 2, [i, 1, 2, 3]);

        var rows = CodesCsv.Read(new StringReader(writer.ToString()), "codes.csv").ToList();
        Assert.All(rows, r => Assert.Null(r.Error));
        Assert.Equal(paths, rows.Select(r => r.Row!.Path));
        Assert.Equal([3L, 1, 2, 3], rows[3].Row!.Codes);
        Assert.Equal(["path,h,w,c0,c1,c2,c3"], writer.ToString().Split('\n').Take(1));

        // The same file with Windows line endings between rows reads the same.
        var crlf = CodesCsv.Read(new StringReader("path,h,w,c0\r\na.png,1,1,5\r\n\"b\rc.png\",1,1,6\r\n"), "codes.csv").ToList();
        Assert.Equal(["a.png", "b\rc.png"], crlf.Select(r => r.Row!.Path));
    }

    [Fact]
    public void A_file_that_is_not_codes_csv_is_refused_and_bad_rows_name_their_line()
    {
        Assert.Throws<InvalidDataException>(() => CodesCsv.Read(new StringReader("name,value\n"), "x.csv").ToList());
        var rows = CodesCsv.Read(new StringReader("path,h,w,c0\nok.png,1,1,5\nneg.png,1,1,-1\nnum.png,x,1,0\n"), "x.csv").ToList();
        Assert.Equal(5, rows[0].Row!.Codes[0]);
        Assert.Equal("x.csv line 3: code 0 '-1' is not a non-negative integer", rows[1].Error!.Reason);
        Assert.Equal("x.csv line 4: h and w must be positive integers", rows[2].Error!.Reason);
    }

    [Fact]
    public void Shards_partition_paths_and_parse_only_valid_specs()
    {
        // FNV-1a (64-bit) of the path's UTF-8 bytes, worked out apart from the code: every process of a
        // sharded run must pick the same shard for a path, which a per-process hash would not.
        Assert.Equal(11714431857497495417UL, Shard.Hash("a.png"));
        Assert.Equal(17571737797595681300UL, Shard.Hash("é.png"));
        Assert.True(new Shard(1, 4).Contains("a.png"));
        Assert.True(new Shard(0, 4).Contains("d3/img10.png"));
        var paths = Enumerable.Range(0, 300).Select(i => $"d{i % 7}/img{i}.png").ToList();
        var shards = Enumerable.Range(0, 4).Select(i => new Shard(i, 4)).ToList();
        Assert.All(paths, p => Assert.Single(shards, s => s.Contains(p)));
        // Roughly even: each of 4 shards gets a fair share of 300 paths.
        Assert.All(shards, s => Assert.InRange(paths.Count(s.Contains), 40, 110));
        Assert.Equal(new Shard(2, 5), Shard.Parse("2/5"));
        foreach (var bad in new[] { "5/5", "-1/3", "1", "a/b", "0/0" })
            Assert.Throws<FormatException>(() => Shard.Parse(bad));
    }

    [Fact]
    public void Psnr_follows_mse_and_caps_a_perfect_reconstruction()
    {
        float[] a = [0f, 0.5f, 1f, 0.25f];
        float[] b = [0.1f, 0.5f, 0.9f, 0.25f];
        Assert.Equal((0.01 + 0.01) / 4, ImageMetrics.Mse(a, b), 7);
        Assert.Equal(10 * Math.Log10(1 / 0.005), ImageMetrics.Psnr(0.005), 9);
        Assert.Equal(ImageMetrics.MaxPsnr, ImageMetrics.Psnr(ImageMetrics.Mse(a, a)));
    }
}
