using System.Globalization;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Where a metrics.csv holds each figure, found by name in its header: shards scored before the ssim column
/// existed (path,mse,psnr) merge as well as today's (path,mse,psnr,ssim). Values were written round-trippable
/// ("R"), so they parse back exactly.
/// </summary>
public sealed class MetricsColumns
{
    readonly int count, mse, psnr, ssim;

    MetricsColumns(string[] names)
    {
        count = names.Length - 1;
        (mse, psnr, ssim) = (Array.IndexOf(names, "mse") - 1, Array.IndexOf(names, "psnr") - 1, Array.IndexOf(names, "ssim") - 1);
    }

    /// <summary>The header's columns; throws naming the file when it has no path, mse or psnr column.</summary>
    public static MetricsColumns Of(string header, string file)
    {
        var names = header.TrimEnd('\n').Split(',');
        var columns = new MetricsColumns(names);
        if (names[0] != "path" || columns.mse < 0 || columns.psnr < 0)
            throw new InvalidDataException($"{file}: its header is not path,{ImageMetrics.Columns}");
        return columns;
    }

    /// <summary>A row's figures (SSIM null when the file has no such column or the row leaves it empty).</summary>
    public (double Mse, double Psnr, double? Ssim) Values(string row, string where)
    {
        // The path comes first and may hold commas (quoted): the figures are the last fields.
        var text = row.TrimEnd('\n');
        var fields = new string[count];
        int end = text.Length;
        for (int i = count - 1; i >= 0; i--)
        {
            int comma = end > 0 ? text.LastIndexOf(',', end - 1) : -1;
            if (comma < 0) throw new InvalidDataException($"{where} has fewer than {count + 1} fields");
            fields[i] = text[(comma + 1)..end];
            end = comma;
        }
        return (Number(fields[mse], where), Number(fields[psnr], where),
            ssim >= 0 && fields[ssim].Length > 0 ? Number(fields[ssim], where) : null);
    }

    static double Number(string field, string where) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value : throw new InvalidDataException($"{where}: '{field}' is not a number");
}
