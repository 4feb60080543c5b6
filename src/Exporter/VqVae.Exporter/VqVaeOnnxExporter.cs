using Google.Protobuf;
using Onnx;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Exporter.Graphs;
using VqVae.Exporter.Graphs.Quantizers;
using VqVae.Exporter.Prior;
using VqVae.Model;

namespace VqVae.Exporter;

/// <summary>One declared graph input or output, for printing.</summary>
public sealed record GraphValue(string Name, string ElementType, string Shape);

/// <summary>One written graph file.</summary>
public sealed record ExportedGraph(string File, string Path, IReadOnlyList<GraphValue> Inputs, IReadOnlyList<GraphValue> Outputs, long Bytes);

public sealed record ExportResult(string OutputDirectory, string? CheckpointDirectory, IReadOnlyList<ExportedGraph> Graphs)
{
    /// <summary>K when decoder.onnx is the table of the K codes' patches (float32 at every precision), else null.</summary>
    public int? DecoderTableCodes { get; init; }
}

/// <summary>
/// Writes a trained VQ-VAE as three ONNX graphs — encoder, quantizer, decoder — into one folder, whole
/// or not at all: the files go into a temporary folder that is renamed into place at the end.
/// </summary>
public static class VqVaeOnnxExporter
{
    /// <summary>The name written into the output folder's manifest: only this tool replaces it with --force.</summary>
    public const string Tool = "vqvae-export";

    /// <summary>
    /// Exports the best checkpoint of a training folder (or the checkpoint folder given). Default output:
    /// <c>&lt;checkpointPath&gt;/onnx</c> (int8: <c>onnx-int8</c>), i.e. beside best/ and last/ for a training folder.
    /// </summary>
    public static ExportResult ExportCheckpoint(string checkpointPath, string? outDir = null, bool force = false,
        GraphPrecision precision = GraphPrecision.Float32, Int8Scope int8Scope = Int8Scope.Decoder)
    {
        var dir = Checkpoint.Resolve(checkpointPath);
        outDir ??= Path.Combine(checkpointPath, precision == GraphPrecision.Int8 ? OnnxContract.Int8OutputFolder : OnnxContract.OutputFolder);
        // Checked before loading so a refused run is quick and touches nothing.
        OutputFolder.Check(outDir, force, Tool, Inputs(checkpointPath, dir), runs: [("--model", checkpointPath)]);
        // A refusal after the check (a damaged checkpoint or prior, a quantizer --int8 does not cover) gives the
        // output back at once, so a library caller that goes on is not refused its own output by a stale claim.
        try
        {
            var (model, info) = Checkpoint.Load(dir);
            // A training folder's prior (RUN/prior) goes into the same folder as prior.onnx.
            var prior = PriorExport.FindPrior(checkpointPath) is { } priorPath ? PriorExport.Graph(priorPath, info) : null;
            using (model)
                return Export(model, info, outDir, force, precision, prior, int8Scope) with { CheckpointDirectory = dir };
        }
        catch
        {
            OutputClaim.Release(outDir);
            throw;
        }
    }

    /// <summary>
    /// What an export reads: the checkpoint's files (its folder too, unless it is the run given, whose default output
    /// lies inside it), the run's prior and the images --verify compares on. The output may not be, hold or lie inside them.
    /// </summary>
    static List<(string, string)> Inputs(string checkpointPath, string checkpointDir)
    {
        var inputs = new List<(string, string)>();
        if (Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpointDir)) != Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpointPath)))
            inputs.Add(("--model", checkpointDir));
        inputs.Add(("--model", Path.Combine(checkpointDir, Checkpoint.WeightsFile)));
        inputs.Add(("--model", Path.Combine(checkpointDir, Checkpoint.ConfigFile)));
        if (PriorExport.FindPrior(checkpointPath) is { } prior) inputs.Add(("the run's prior", prior));
        if (Checkpoint.ReadInfo(checkpointDir).Training?.DataPath is { Length: > 0 } data) inputs.Add(("the run's data folder", data));
        return inputs;
    }

    /// <param name="prior">prior.onnx's graph, written beside the three when given.</param>
    /// <param name="int8Scope">with <see cref="GraphPrecision.Int8"/>: whether the encoder is int8 too.</param>
    public static ExportResult Export(VqVaeModel model, CheckpointInfo info, string outDir, bool force = false,
        GraphPrecision precision = GraphPrecision.Float32, ModelProto? prior = null, Int8Scope int8Scope = Int8Scope.Decoder)
    {
        if (info.Model != model.Config)
            throw new ArgumentException("the checkpoint information describes a different model configuration than the model being exported");
        if (precision == GraphPrecision.Int8 && !QuantizerGraph.For(model).CoversInt8)
            throw new NotSupportedException($"int8 export covers the vq quantizer; this model's is {KebabCase.Name(model.Config.Quantizer)} (export it without --int8)");
        OutputFolder.Check(outDir, force, Tool, []);
        var graphs = new (string File, ModelProto Proto)[]
        {
            (OnnxContract.EncoderFile, VqVaeGraphs.Encoder(model, info, int8Scope == Int8Scope.EncoderAndDecoder ? precision : GraphPrecision.Float32)),
            (OnnxContract.QuantizerFile, VqVaeGraphs.Quantizer(model, info)),
            (OnnxContract.DecoderFile, VqVaeGraphs.Decoder(model, info, precision)),
        };
        if (prior is not null) graphs = [.. graphs, (OnnxContract.PriorFile, prior)];
        OutputFolder.Write(outDir, Tool, temp =>
        {
            foreach (var (file, proto) in graphs)
            {
                using var stream = File.Create(Path.Combine(temp, file));
                proto.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
        });
        var full = Path.GetFullPath(outDir);
        return new ExportResult(full, null, graphs.Select(g => Describe(g.File, Path.Combine(full, g.File), g.Proto)).ToList())
        {
            DecoderTableCodes = DecoderTableGraph.Fits(model) ? model.Config.CodebookSize : null,
        };
    }

    internal static ExportedGraph Describe(string file, string path, ModelProto proto) => new(
        file, path,
        proto.Graph.Input.Select(Describe).ToList(),
        proto.Graph.Output.Select(Describe).ToList(),
        new FileInfo(path).Length);

    static GraphValue Describe(ValueInfoProto v)
    {
        var t = v.Type.TensorType;
        var type = ((TensorProto.Types.DataType)t.ElemType).ToString().ToLowerInvariant();
        var dims = t.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString());
        return new GraphValue(v.Name, type, $"[{string.Join(", ", dims)}]");
    }
}
