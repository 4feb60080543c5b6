using System.Globalization;
using System.Text;
using VqVae.Checkpoints;

namespace VqVae.Training;

/// <summary>metrics.csv: one row per epoch, rewritten whole (atomically) after each epoch.</summary>
public static class MetricsCsv
{
    public const string Header =
        "epoch,train_loss,val_loss,val_mse,val_vq_loss,val_psnr,active_codes,perplexity,restarted_codes,seconds,images_per_second";

    public static void Write(string path, IEnumerable<EpochMetrics> rows)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var m in rows)
            text.Append(string.Join(',', new object[]
            {
                m.Epoch, m.TrainLoss, m.ValidationLoss, m.ValidationMse, m.ValidationVqLoss, m.ValidationPsnr,
                m.ActiveCodes, m.Perplexity, m.RestartedCodes, m.Seconds, m.ImagesPerSecond,
            }.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
