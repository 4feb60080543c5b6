using Microsoft.ML.OnnxRuntime;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// The three graphs as ONNX Runtime sessions, run on a whole batch at once: pixels → encoder → z_e →
/// quantizer → codes → decoder → reconstruction. The caller's arrays are the input and output tensors
/// (pinned, not copied); z_e goes from the encoder to the quantizer as ONNX Runtime allocated it.
/// </summary>
internal sealed class OrtGraphChain : IDisposable
{
    readonly InferenceSession encoder, quantizer, decoder;
    readonly RunOptions run = new();
    readonly long[] imageShape, codesShape;

    public OrtGraphChain(VqVaeModelFolder model, string provider, VqVaePipelineOptions options, bool spinning)
    {
        using var session = OrtSessionSettings.Create(provider, options, spinning);
        encoder = new InferenceSession(model.EncoderPath, session);
        quantizer = new InferenceSession(model.QuantizerPath, session);
        decoder = new InferenceSession(model.DecoderPath, session);
        var c = model.Config;
        imageShape = [0, .. c.ImageShape];
        codesShape = [0, .. c.CodeShape];
    }

    /// <summary>
    /// Runs a batch of zeros through the graphs twice. ONNX Runtime's first two runs of a session are several
    /// times slower per image than later ones (it grows its memory arena and plans its allocations then); done
    /// here, that cost falls in start-up rather than on the first files scored. Smaller batches run at the
    /// later speed once the largest has run.
    /// </summary>
    public void WarmUp(int count, int pixelCount, int codeCount)
    {
        var pixels = new float[count * pixelCount];
        var codes = new long[count * codeCount];
        var reconstruction = new float[count * pixelCount];
        for (int i = 0; i < 2; i++) Run(count, pixels, codes, reconstruction);
    }

    /// <summary>Scores <paramref name="count"/> images; each memory holds exactly count rows.</summary>
    public void Run(int count, Memory<float> pixels, Memory<long> codes, Memory<float> reconstruction)
    {
        imageShape[0] = codesShape[0] = count;
        var cpu = OrtMemoryInfo.DefaultInstance;
        using var image = OrtValue.CreateTensorValueFromMemory(cpu, pixels, imageShape);
        using var codesValue = OrtValue.CreateTensorValueFromMemory(cpu, codes, codesShape);
        using var reconstructionValue = OrtValue.CreateTensorValueFromMemory(cpu, reconstruction, imageShape);
        using var latent = encoder.Run(run, [OnnxContract.Image], [image], [OnnxContract.ZE]);
        // Only `codes` is asked of the quantizer: z_q would be computed into a buffer nobody reads.
        quantizer.Run(run, [OnnxContract.ZE], [latent[0]], [OnnxContract.Codes], [codesValue]);
        decoder.Run(run, [OnnxContract.Codes], [codesValue], [OnnxContract.Reconstruction], [reconstructionValue]);
    }

    public void Dispose()
    {
        encoder.Dispose();
        quantizer.Dispose();
        decoder.Dispose();
        run.Dispose();
    }
}
