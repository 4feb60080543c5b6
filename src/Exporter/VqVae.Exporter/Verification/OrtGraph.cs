using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace VqVae.Exporter.Verification;

/// <summary>An ONNX Runtime session on one graph file, fed and read as flat arrays (CPU, default options otherwise).</summary>
public sealed class OrtGraph : IDisposable
{
    readonly InferenceSession session;

    public OrtGraph(string path, GraphOptimizationLevel optimization)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = optimization };
        session = new InferenceSession(path, options);
    }

    public InferenceSession Session => session;

    /// <summary>Runs the graph on one input; returns each output as float[] or long[] by name.</summary>
    public IReadOnlyDictionary<string, Array> Run<T>(string input, T[] data, long[] shape) where T : unmanaged
    {
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        var outputNames = session.OutputNames;
        using var results = session.Run(runOptions, new[] { input }, new[] { value }, outputNames);
        var outputs = new Dictionary<string, Array>();
        for (int i = 0; i < outputNames.Count; i++)
        {
            var r = results[i];
            outputs[outputNames[i]] = r.GetTensorTypeAndShape().ElementDataType switch
            {
                TensorElementType.Float => r.GetTensorDataAsSpan<float>().ToArray(),
                TensorElementType.Int64 => r.GetTensorDataAsSpan<long>().ToArray(),
                var other => throw new InvalidDataException($"output '{outputNames[i]}': unexpected element type {other}"),
            };
        }
        return outputs;
    }

    public void Dispose() => session.Dispose();
}
