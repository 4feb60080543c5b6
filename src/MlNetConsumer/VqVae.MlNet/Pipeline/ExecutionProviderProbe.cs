using Microsoft.ML.OnnxRuntime;

namespace VqVae.MlNetConsumer;

/// <summary>The CUDA provider was asked for, could not start, and falling back to CPU was not allowed.</summary>
public sealed class ExecutionProviderException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// ML.NET's ApplyOnnxModel(gpuDeviceId, fallbackToCpu) does not say where it ended up running. This builds
/// an ONNX Runtime session the way it does (CUDA provider first, CPU when that fails) and says which worked.
/// </summary>
public static class ExecutionProviderProbe
{
    public const string Cuda = "CUDA";
    public const string Cpu = "CPU";

    /// <summary>
    /// "CUDA" or "CPU"; throws ExecutionProviderException when CUDA fails and fallback is off. Without a
    /// model path only the provider library is loaded, which misses a CUDA that loads but has no device.
    /// </summary>
    public static string Probe(string? modelPath, int? gpuDeviceId, bool fallbackToCpu)
    {
        if (gpuDeviceId is not int device) return Cpu;
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(device);
            if (modelPath is not null)
            {
                using var session = new InferenceSession(modelPath, options);
            }
            return Cuda;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            if (fallbackToCpu) return Cpu;
            throw new ExecutionProviderException(
                $"the CUDA execution provider could not start on GPU {device} and CPU fallback is off "
                + $"({VqVaeModelFolder.FirstLine(e.Message)}); run without --no-cpu-fallback (or with FallbackToCpu) to score on CPU",
                e);
        }
    }

    /// <summary>The probe's answer for a pipeline's options, against one of the folder's graphs.</summary>
    public static string Probe(VqVaeModelFolder model, VqVaePipelineOptions options) =>
        Probe(model.DecoderPath, options.GpuDeviceId, options.FallbackToCpu);
}
