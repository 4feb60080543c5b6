using Microsoft.ML.OnnxRuntime;

namespace VqVaeMl.MlNet;

/// <summary>The CUDA provider was asked for, could not start, and falling back to CPU was not allowed.</summary>
public sealed class ExecutionProviderException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Where the graphs run, and when CUDA was asked for but CPU runs them, why.</summary>
public sealed record ExecutionProviderChoice(string Provider, string? FallbackReason = null)
{
    public bool IsCuda => Provider == ExecutionProviderProbe.Cuda;
}

/// <summary>
/// Decides where the graphs run before ML.NET or ONNX Runtime is asked for a session. ML.NET's
/// ApplyOnnxModel(gpuDeviceId, fallbackToCpu) does not say where it ended up, and on the way it lets
/// ONNX Runtime print its native error log once per session; with the CPU runtime package it throws
/// EntryPointNotFoundException instead of falling back. So this asks ONNX Runtime which providers its
/// native library has, then tries CUDA once with the native log silenced, and the pipeline only asks
/// ML.NET for CUDA when that worked.
/// </summary>
public static class ExecutionProviderProbe
{
    public const string Cuda = "CUDA";
    public const string Cpu = "CPU";
    const string CudaProviderName = "CUDAExecutionProvider";

    /// <summary>
    /// CPU when no GPU was asked for; CUDA when it starts; CPU with the reason when it does not and
    /// fallback is allowed; else throws ExecutionProviderException. Without a model path only the
    /// provider library is loaded, which misses a CUDA that loads but has no device.
    /// </summary>
    public static ExecutionProviderChoice Choose(string? modelPath, int? gpuDeviceId, bool fallbackToCpu, bool nativeLog = false)
    {
        if (gpuDeviceId is not int device) return new(Cpu);
        var reason = CudaFailure(modelPath, device, nativeLog);
        if (reason is null) return new(Cuda);
        if (fallbackToCpu) return new(Cpu, $"CUDA was asked for on GPU {device} but {reason}; running on CPU");
        throw new ExecutionProviderException(
            $"the CUDA execution provider could not start on GPU {device} and CPU fallback is off ({reason}); "
            + "run without --no-cpu-fallback (or with FallbackToCpu) to score on CPU");
    }

    /// <summary>The probe's answer for a pipeline's options, against one of the folder's graphs.</summary>
    public static ExecutionProviderChoice Choose(VqVaeModelFolder model, VqVaePipelineOptions options) =>
        Choose(model.DecoderPath, options.GpuDeviceId, options.FallbackToCpu, options.NativeLog);

    /// <summary>The options ML.NET should get: no GPU request once the probe has settled on CPU.</summary>
    public static VqVaePipelineOptions Apply(this ExecutionProviderChoice choice, VqVaePipelineOptions options) =>
        choice.IsCuda ? options : options with { GpuDeviceId = null };

    /// <summary>Null when a CUDA session starts; otherwise what stopped it, in one line.</summary>
    static string? CudaFailure(string? modelPath, int device, bool nativeLog)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProviderName))
            return "this ONNX Runtime has no CUDA provider (the app references the CPU package, Microsoft.ML.OnnxRuntime)";
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        // The native library logs each failed provider load in red on the process's stderr; that
        // detail belongs behind a verbose switch, the one-line reason is ours.
        if (!nativeLog) env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            using var options = new SessionOptions();
            if (!nativeLog) options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            options.AppendExecutionProvider_CUDA(device);
            if (modelPath is not null)
            {
                using var session = new InferenceSession(modelPath, options);
            }
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            return $"it could not start: {VqVaeModelFolder.FirstLine(e.Message)}";
        }
        finally { env.EnvLogLevel = level; }
    }
}
