using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>One image's code grid: h·w indices, row-major (h·w·L for residual VQ, the L codes of a position together).</summary>
public sealed record CodesRow(string Path, int Height, int Width, long[] Codes)
{
    /// <summary>Codes per position: 1, or the residual depth L.</summary>
    public int CodesPerPosition => Codes.Length / (Height * Width);

    /// <summary>The line of codes.csv the row starts on.</summary>
    public int Line { get; init; }
}

/// <summary>A row of codes.csv that could not be read, with its line number.</summary>
public sealed record CodesRowError(int Line, string Path, string Reason);

/// <summary>
/// codes.csv: a header `path,h,w,c0,…`, then one row per image — relative path, h, w, then the h·w code
/// indices row-major. A residual-VQ model has L codes per position: the header names them
/// `c0_0,c0_1,…,c0_{L−1},c1_0,…` (position, then level) and each row holds h·w·L codes, the L codes of a
/// position together, first level first. Plain CSV (a path is quoted when it holds a comma, quote or
/// line break), read and written a row at a time.
/// </summary>
public static class CodesCsv
{
    public static void WriteHeader(TextWriter writer, int positions, int codesPerPosition = 1)
    {
        writer.Write("path,h,w");
        for (int i = 0; i < positions; i++)
        {
            if (codesPerPosition == 1) { writer.Write(",c"); writer.Write(i.ToString(CultureInfo.InvariantCulture)); continue; }
            for (int l = 0; l < codesPerPosition; l++)
                writer.Write(string.Create(CultureInfo.InvariantCulture, $",c{i}_{l}"));
        }
        writer.Write('\n');
    }

    public static void WriteRow(TextWriter writer, string path, int height, int width, ReadOnlySpan<long> codes)
    {
        writer.Write(Quote(path));
        writer.Write(',');
        writer.Write(height.ToString(CultureInfo.InvariantCulture));
        writer.Write(',');
        writer.Write(width.ToString(CultureInfo.InvariantCulture));
        foreach (var c in codes) { writer.Write(','); writer.Write(c.ToString(CultureInfo.InvariantCulture)); }
        writer.Write('\n');
    }

    /// <summary>Rows in file order; a malformed row comes back as an error and reading goes on.</summary>
    public static IEnumerable<(CodesRow? Row, CodesRowError? Error)> Read(TextReader reader, string fileName)
    {
        // RFC 4180 as CsvHelper reads it: a quoted path keeps every character, line breaks and carriage returns included.
        var settings = new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false, BadDataFound = null, IgnoreBlankLines = true };
        using var parser = new CsvParser(reader, settings, leaveOpen: true);
        if (!parser.Read() || parser.Record is not { Length: >= 3 } header || header[0] != "path" || header[1] != "h" || header[2] != "w")
            throw new InvalidDataException($"{fileName}: not a codes.csv (the first line must start with path,h,w)");
        int line = parser.RawRow;
        while (parser.Read())
        {
            int first = line + 1;
            line = parser.RawRow;
            if (parser.Record is { } fields) yield return Parse(fields, first, fileName);
        }
    }

    static (CodesRow?, CodesRowError?) Parse(string[] record, int line, string fileName)
    {
        string path = record[0];
        CodesRowError Error(string reason) => new(line, path, $"{fileName} line {line}: {reason}");
        var fields = record.AsSpan(1);
        if (fields.Length < 2 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var w) || h < 1 || w < 1)
            return (null, Error("h and w must be positive integers"));
        long positions = (long)h * w;
        if (fields.Length - 2 == 0 || (fields.Length - 2) % positions != 0)
            return (null, Error($"{fields.Length - 2} codes for a {h}×{w} grid ({positions} expected, or a multiple for several codes per position)"));
        var codes = new long[fields.Length - 2];
        for (int k = 0; k < codes.Length; k++)
            if (!long.TryParse(fields[k + 2], NumberStyles.None, CultureInfo.InvariantCulture, out codes[k]))
                return (null, Error($"code {k} '{fields[k + 2]}' is not a non-negative integer"));
        return (new CodesRow(path, h, w, codes) { Line = line }, null);
    }

    internal static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
