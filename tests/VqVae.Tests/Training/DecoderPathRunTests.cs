using VqVae.Training;

namespace VqVae.Tests.Training;

/// <summary>
/// Each preset trained for two short epochs on the table path and on the direct path writes the same
/// metrics.csv, beyond float rounding: k-means, EMA and dead-code restarts run on the same codes.
/// </summary>
[Collection(GlobalGeneratorCollection.Name)]
public class DecoderPathRunTests
{
    static readonly string[] Compared = ["train_loss", "val_loss", "val_mse", "val_vq_loss", "val_psnr", "active_codes", "perplexity", "restarted_codes"];

    [Theory]
    [InlineData("mnist")]
    [InlineData("mnist-plus")]
    [InlineData("pokemon")]
    [InlineData("pokemon-plus")]
    public void Two_epochs_write_the_same_metrics_on_both_paths(string preset)
    {
        var options = Presets.Get(preset) with
        {
            DataPath = preset.StartsWith("mnist") ? TestData.MnistDir : TestData.PokemonDir,
            Epochs = 2,
            MaxStepsPerEpoch = 1,
            BatchSize = 64,
            Device = ComputeDevice.Cpu,
            KmeansBatches = 2,
        };
        var (train, validation) = TrainingData.Load(options);
        var trainImages = TrainingData.ToTensor(train.Take(0, Math.Min(train.Count, 2 * options.BatchSize)));
        var validationImages = TrainingData.ToTensor(validation.Take(0, Math.Min(validation.Count, 64)));
        Assert.Equal(DecoderPath.Table, options.ResolvedDecoderPath);

        using var table = new TempFolder();
        using var direct = new TempFolder();
        new TrainingLoop(options with { DecoderPath = DecoderPath.Table }, trainImages, validationImages).Run(table.Path);
        new TrainingLoop(options with { DecoderPath = DecoderPath.Direct }, trainImages, validationImages).Run(direct.Path);

        foreach (var column in Compared)
        {
            var a = MetricsCsv.ReadColumn(Path.Combine(table.Path, TrainingLoop.MetricsFile), column);
            var b = MetricsCsv.ReadColumn(Path.Combine(direct.Path, TrainingLoop.MetricsFile), column);
            Assert.Equal(2, a.Count);
            for (int epoch = 0; epoch < a.Count; epoch++)
                Assert.True(Math.Abs(a[epoch] - b[epoch]) <= 1e-4 * Math.Max(1, Math.Abs(b[epoch])),
                    $"{preset} epoch {epoch + 1} {column}: table {a[epoch]} vs direct {b[epoch]}");
        }
    }
}
