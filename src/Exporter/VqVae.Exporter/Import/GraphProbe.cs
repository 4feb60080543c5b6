using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace VqVae.Exporter.Import;

/// <summary>Runs a graph held in memory on one input in ONNX Runtime (CPU) and gives its one output with its shape; a failure names the file.</summary>
internal static class GraphProbe
{
    public static (float[] Values, long[] Shape) Run<T>(byte[] model, string path, T[] input, long[] shape) where T : unmanaged
    {
        try
        {
            using var session = new InferenceSession(model);
            using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [session.InputNames[0]], [value], [session.OutputNames[0]]);
            var info = results[0].GetTensorTypeAndShape();
            if (info.ElementDataType != TensorElementType.Float)
                throw new InvalidDataException($"{path}: gives {info.ElementDataType}, not float32");
            return (results[0].GetTensorDataAsSpan<float>().ToArray(), info.Shape);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{path}: ONNX Runtime cannot run it on {typeof(T).Name}[{string.Join(", ", shape)}] ({e.Message.Split('\n', 2)[0].Trim()})");
        }
    }

    /// <summary>The codes output of the quantizer graph for z_e.</summary>
    public static long[] Codes(byte[] quantizer, float[] ze, long[] shape)
    {
        using var session = new InferenceSession(quantizer);
        using var value = OrtValue.CreateTensorValueFromMemory(ze, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [OnnxContract.ZE], [value], [OnnxContract.Codes]);
        return results[0].GetTensorDataAsSpan<long>().ToArray();
    }
}
