using VqVae.Checkpoints;
using VqVae.Data;
using VqVae.Exporter;
using VqVae.Exporter.Graphs;
using VqVae.Exporter.Verification;
using VqVae.Training;

namespace VqVae.Bench;

/// <summary>
/// One trained model exported in float32, in int8 as `vqvae-export --int8` writes it (decoder only), and
/// with `--int8-encoder` (encoder too): batched ONNX Runtime throughput of each, and how close each comes.
/// Where the decoder is a table of its K codes (<see cref="DecoderTableCodes"/>), `--int8` keeps it float32,
/// so the decoder-only folder is the float32 graphs: it is neither timed nor verified (<see cref="Int8"/> null).
/// </summary>
public sealed record Int8Result(string Preset, string Model, int Batch, Samples Float32, Samples? Int8, Int8Report? Accuracy,
    Samples Int8Encoder, Int8Report EncoderAccuracy, string Measured, int? DecoderTableCodes)
{
    public double? Speedup => Int8 is null ? null : Int8.Median / Float32.Median;
    public double EncoderSpeedup => Int8Encoder.Median / Float32.Median;
}

/// <summary>
/// The int8 export (`vqvae-export --int8`) against the float32 one, on a trained model — int8 accuracy
/// depends on the weights, so a freshly initialised model would say nothing about it. Throughput: the
/// three graphs chained directly in ONNX Runtime (<see cref="OrtChain"/>, the bench's session options),
/// float32 and int8 passes interleaved so a change in the machine's load falls on both alike.
/// Accuracy: <see cref="Int8Verifier"/> on the model's validation images, as `--int8 --verify` prints it.
/// </summary>
public static class Int8Bench
{
    public static Int8Result Run(string preset, string modelPath, BenchSettings settings, BenchData data, string workDir, Action<string> log)
    {
        var checkpoint = Checkpoint.Resolve(modelPath);
        var (model, info) = Checkpoint.Load(checkpoint);
        using (model)
        {
            var c = model.Config;
            var folder = Path.Combine(workDir, $"int8-{preset}");
            string float32 = Path.Combine(folder, "float32"), int8 = Path.Combine(folder, "int8"), int8Encoder = Path.Combine(folder, "int8-encoder");
            log($"{preset}: exporting {checkpoint} as float32, int8 (decoder) and int8 (encoder and decoder)");
            VqVaeOnnxExporter.Export(model, info, float32, force: true);
            var tableCodes = VqVaeOnnxExporter.Export(model, info, int8, force: true, GraphPrecision.Int8).DecoderTableCodes;
            VqVaeOnnxExporter.Export(model, info, int8Encoder, force: true, GraphPrecision.Int8, int8Scope: Int8Scope.EncoderAndDecoder);
            // A table decoder leaves the decoder-only int8 folder identical to float32's: nothing of it to measure.
            bool decoderInt8 = tableCodes is null;
            if (!decoderInt8) log($"{preset}: the decoder is a table of {tableCodes} codes, kept in float32 by --int8; only --int8-encoder changes the graphs");

            // The run's own validation split when its data is where it was trained, else the bench's images of the preset.
            var validation = ValidationSplit(info);
            var images = validation ?? data.ImagesFor(preset);
            if (images.Channels != c.Channels || images.Height != c.Height || images.Width != c.Width)
                throw new InvalidDataException($"{checkpoint}: a {c.Channels}×{c.Height}×{c.Width} model, not one for the {preset} images");

            int batch = settings.InferenceBatch;
            var batched = images.Slice(Enumerable.Range(0, batch * settings.BatchesPerRepeat).Select(i => i % images.Count).ToArray());
            log($"{preset}: ONNX Runtime float32 and the {(decoderInt8 ? "two int8 folders" : "int8-encoder folder")}, {settings.InferenceRepeats} interleaved passes of {batched.Count} images");
            var floatRates = new List<double>();
            var int8Rates = new List<double>();
            var int8EncoderRates = new List<double>();
            using (var floatChain = new OrtChain(float32, settings.Threads))
            using (var int8Chain = decoderInt8 ? new OrtChain(int8, settings.Threads) : null)
            using (var int8EncoderChain = new OrtChain(int8Encoder, settings.Threads))
            {
                for (int r = 0; r < settings.InferenceRepeats; r++)
                {
                    floatRates.AddRange(floatChain.Measure(batched, batch, 1).Values);
                    if (int8Chain is not null) int8Rates.AddRange(int8Chain.Measure(batched, batch, 1).Values);
                    int8EncoderRates.AddRange(int8EncoderChain.Measure(batched, batch, 1).Values);
                }
            }

            log($"{preset}: int8 against float32 on {images.Count} {(validation is null ? "bench" : "validation")} images");
            var accuracy = decoderInt8 ? Int8Verifier.Verify(model, int8, images.Pixels, usedImages: true) : null;
            var encoderAccuracy = Int8Verifier.Verify(model, int8Encoder, images.Pixels, usedImages: true);
            string modelText = $"{info.Training?.Preset ?? "?"}, epoch {info.Epoch}, validation MSE {info.Metrics?.ValidationMse:F5}";
            string passes = settings.InferenceRepeats == 1 ? "1 timed pass" : $"median of {settings.InferenceRepeats} timed passes";
            return new Int8Result(preset, modelText, batch, new Samples(floatRates), decoderInt8 ? new Samples(int8Rates) : null, accuracy,
                new Samples(int8EncoderRates), encoderAccuracy,
                $"encoder → quantizer → decoder sessions on {batched.Count} images in memory, batches of {batch}, each pass after its own warm-up pass, " +
                $"float32 and the {(decoderInt8 ? "two int8 folders'" : "int8-encoder folder's")} passes alternating; {passes}. Accuracy on {encoderAccuracy.Images} " +
                (validation is null ? $"of the bench's {preset} images" : "validation images of the run") + ", against TorchSharp float32",
                tableCodes);
        }
    }

    /// <summary>The validation split the trainer made, when the run's data is still where it was trained.</summary>
    static ImageSet? ValidationSplit(CheckpointInfo info)
    {
        var training = info.Training;
        if (training is null || !Path.Exists(training.DataPath)) return null;
        var options = new TrainingOptions
        {
            Model = info.Model, DataPath = training.DataPath, Seed = training.Seed, ValidationFraction = training.ValidationFraction,
        };
        return TrainingData.Load(options).Validation;
    }
}
