using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using VqVae.Data;
using VqVae.Exporter;

namespace VqVae.Bench;

/// <summary>
/// The three exported graphs run directly with ONNX Runtime, chained as the ML.NET pipeline chains
/// them (image → encoder → z_e → quantizer → codes → decoder → reconstruction); each output is fed
/// to the next session as it is, without copying.
/// </summary>
public sealed class OrtChain : IDisposable
{
    readonly InferenceSession encoder, quantizer, decoder;
    readonly RunOptions run = new();

    public OrtChain(string onnxFolder, int threads)
    {
        using var options = OrtSessions.Options(threads);
        encoder = new InferenceSession(Path.Combine(onnxFolder, OnnxContract.EncoderFile), options);
        quantizer = new InferenceSession(Path.Combine(onnxFolder, OnnxContract.QuantizerFile), options);
        decoder = new InferenceSession(Path.Combine(onnxFolder, OnnxContract.DecoderFile), options);
    }

    /// <summary>Scores images [count, C, H, W] held in <paramref name="pixels"/>.</summary>
    public void Run(Memory<float> pixels, int count, int channels, int height, int width)
    {
        using var image = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, pixels, [count, channels, height, width]);
        using var ze = encoder.Run(run, [OnnxContract.Image], [image], [OnnxContract.ZE]);
        using var codes = quantizer.Run(run, [OnnxContract.ZE], [ze[0]], [OnnxContract.Codes]);
        using var reconstruction = decoder.Run(run, [OnnxContract.Codes], [codes[0]], [OnnxContract.Reconstruction]);
    }

    /// <summary>Images/s of each repeat over all of <paramref name="images"/> in batches of <paramref name="batch"/> (one untimed pass first).</summary>
    public Samples Measure(ImageSet images, int batch, int repeats)
    {
        var rates = new List<double>();
        int size = images.PixelsPerImage;
        for (int r = -1; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int start = 0; start < images.Count; start += batch)
            {
                int count = Math.Min(batch, images.Count - start);
                Run(images.Pixels.AsMemory(start * size, count * size), count, images.Channels, images.Height, images.Width);
            }
            double seconds = clock.Elapsed.TotalSeconds;
            if (r >= 0) rates.Add(images.Count / seconds);
        }
        return new Samples(rates);
    }

    public void Dispose()
    {
        encoder.Dispose();
        quantizer.Dispose();
        decoder.Dispose();
        run.Dispose();
    }
}
