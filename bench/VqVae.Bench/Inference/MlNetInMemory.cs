using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using VqVae.Data;
using VqVaeMl.MlNet;

namespace VqVae.Bench;

/// <summary>
/// The ML.NET pipeline's graph steps (VqVaeEncode → VqVaeQuantize → VqVaeDecode) on images already
/// decoded into memory, one row at a time through a PredictionEngine: the pipeline's own cost without
/// file reading, image decoding, resizing or writing results.
/// </summary>
public static class MlNetInMemory
{
    /// <summary>One decoded image: the encoder's input vector, planar C·H·W in 0..1.</summary>
    public sealed class PixelRow
    {
        [ColumnName(OnnxContract.Image)] public float[] Image { get; set; } = [];
    }

    public sealed class Scored
    {
        [ColumnName(OnnxContract.Codes)] public long[] Codes { get; set; } = [];
        [ColumnName(OnnxContract.Reconstruction)] public float[] Reconstruction { get; set; } = [];
    }

    /// <summary>Images/s of each repeat over all of <paramref name="images"/> (one untimed pass first).</summary>
    public static Samples Measure(string onnxFolder, ImageSet images, int repeats)
    {
        var model = VqVaeModelFolder.Open(onnxFolder);
        var ml = new MLContext(seed: 0);
        // The vector's size is only known at run time: ExtractPixels's shape, [C, H, W].
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[OnnxContract.Image].ColumnType = new VectorDataViewType(NumberDataViewType.Single, images.Channels, images.Height, images.Width);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<PixelRow>(), schema);
        var pipeline = ml.Transforms.VqVaeEncode(model)
            .Append(ml.Transforms.VqVaeQuantize(model))
            .Append(ml.Transforms.VqVaeDecode(model));
        var transformer = pipeline.Fit(empty);
        using var engine = ml.Model.CreatePredictionEngine<PixelRow, Scored>(transformer, inputSchemaDefinition: schema);

        var rows = Enumerable.Range(0, images.Count).Select(i => new PixelRow { Image = images.Image(i).ToArray() }).ToArray();
        var output = new Scored();
        var rates = new List<double>();
        for (int r = -1; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var row in rows) engine.Predict(row, ref output);
            double seconds = clock.Elapsed.TotalSeconds;
            if (r >= 0) rates.Add(rows.Length / seconds);
        }
        if (output.Codes.Length != model.CodeCount || output.Reconstruction.Length != model.PixelCount)
            throw new InvalidDataException($"ML.NET returned {output.Codes.Length} codes and {output.Reconstruction.Length} pixels; expected {model.CodeCount} and {model.PixelCount}");
        return new Samples(rates);
    }
}
