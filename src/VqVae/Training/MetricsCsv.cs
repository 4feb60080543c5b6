using System.Globalization;
using System.Text;
using VqVae.Checkpoints;

namespace VqVae.Training;

/// <summary>
/// metrics.csv: one row per epoch, rewritten whole (atomically) after each epoch. A residual-VQ run adds
/// two columns, each level's codes in use and perplexity separated by spaces (first level first).
/// val_ssim is empty where SSIM is not defined (images smaller than its window), val_frechet where it was not
/// measured (no digit classifier, or images other than 1×28×28). Readers find columns by name.
/// </summary>
public static class MetricsCsv
{
    public const string Header =
        "epoch,train_loss,val_loss,val_mse,val_vq_loss,val_psnr,val_ssim,val_frechet,active_codes,perplexity,restarted_codes,seconds,images_per_second";

    public const string LevelColumns = ",active_codes_by_level,perplexity_by_level";

    public static void Write(string path, IEnumerable<EpochMetrics> rows)
    {
        var list = rows.ToList();
        bool perLevel = list.Any(m => m.LevelActiveCodes != null);
        var text = new StringBuilder(Header).Append(perLevel ? LevelColumns : "").Append('\n');
        foreach (var m in list)
        {
            var values = new object[]
            {
                m.Epoch, m.TrainLoss, m.ValidationLoss, m.ValidationMse, m.ValidationVqLoss, m.ValidationPsnr, (object?)m.ValidationSsim ?? "", (object?)m.ValidationFrechet ?? "",
                m.ActiveCodes, m.Perplexity, m.RestartedCodes, m.Seconds, m.ImagesPerSecond,
            }.Select(Text);
            if (perLevel)
                values = values.Append(string.Join(' ', (m.LevelActiveCodes ?? []).Select(v => Text(v))))
                    .Append(string.Join(' ', (m.LevelPerplexity ?? []).Select(v => Text(v))));
            text.Append(string.Join(',', values)).Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>One column of every epoch, found by its name in the header (columns are added over versions).</summary>
    public static IReadOnlyList<double> ReadColumn(string path, string column)
    {
        var lines = File.ReadAllLines(path);
        int index = lines.Length == 0 ? -1 : Array.IndexOf(lines[0].Split(','), column);
        if (index < 0) throw new InvalidDataException($"{path}: no '{column}' column in its header");
        return lines.Skip(1).Where(line => line.Length > 0).Select(line =>
        {
            var fields = line.Split(',');
            return index < fields.Length && double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value : throw new InvalidDataException($"{path}: a row without a number in its '{column}' column");
        }).ToList();
    }

    static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture)!;
}
