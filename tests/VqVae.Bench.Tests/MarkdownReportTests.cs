namespace VqVae.Bench.Tests;

public class MarkdownReportTests : IDisposable
{
    readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("bench-tests-");
    public void Dispose() => folder.Delete(recursive: true);

    static IReadOnlyList<ReportTable> Tables(string value) =>
        [new ReportTable("Targets", ["target", "measured", "result"], [new[] { "a | b", value, ReportTables.Fail }], ["one note"])];

    [Fact]
    public void A_new_file_gets_a_heading_and_the_marked_section()
    {
        var path = Path.Combine(folder.FullName, "docs", "BENCHMARKS.md");
        MarkdownReport.Write(path, Tables("1.0"));
        var text = File.ReadAllText(path);
        Assert.StartsWith("# Benchmarks", text);
        Assert.Contains(MarkdownReport.Begin, text);
        Assert.Contains("| a \\| b | 1.0 | **FAIL** |", text);
        Assert.Contains("- one note", text);
        Assert.Contains(MarkdownReport.End, text);
    }

    [Fact]
    public void Rewriting_replaces_the_section_and_keeps_the_analysis_around_it()
    {
        var path = Path.Combine(folder.FullName, "BENCHMARKS.md");
        MarkdownReport.Write(path, Tables("1.0"));
        File.WriteAllText(path, "# Speed\n\nintro\n\n" + File.ReadAllText(path).Split("# Benchmarks\n\n")[1] + "\n## Why training misses\nanalysis\n");
        MarkdownReport.Write(path, Tables("2.0"));
        var text = File.ReadAllText(path);
        Assert.StartsWith("# Speed\n\nintro\n\n" + MarkdownReport.Begin, text);
        Assert.Contains("| a \\| b | 2.0 |", text);
        Assert.DoesNotContain("| 1.0 |", text);
        Assert.Single(text.Split(MarkdownReport.Begin)[1..]);
        Assert.EndsWith(MarkdownReport.End + "\n\n## Why training misses\nanalysis\n", text);
    }

    [Fact]
    public void A_file_with_one_marker_is_refused_untouched()
    {
        var path = Path.Combine(folder.FullName, "BENCHMARKS.md");
        File.WriteAllText(path, "notes\n" + MarkdownReport.Begin + "\nhalf\n");
        var e = Assert.Throws<InvalidDataException>(() => MarkdownReport.Write(path, Tables("1.0")));
        Assert.Contains(path, e.Message);
        Assert.Equal("notes\n" + MarkdownReport.Begin + "\nhalf\n", File.ReadAllText(path));
    }
}
