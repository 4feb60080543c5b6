using Microsoft.ML.OnnxRuntime;

namespace VqVaeMl.MlNet;

/// <summary>
/// A folder of exported graphs (encoder.onnx, quantizer.onnx, decoder.onnx), or a training output
/// folder with them in onnx/. Opening it reads each graph's "vqvae" metadata and declared tensors and
/// refuses, before any scoring, a folder that is missing a graph or whose graphs disagree.
/// </summary>
public sealed class VqVaeModelFolder
{
    static readonly string[] AllGraphs = [.. OnnxContract.Files];

    /// <summary>The folder that holds the graphs (DIR or DIR/onnx).</summary>
    public string Folder { get; }
    /// <summary>The configuration all opened graphs agree on.</summary>
    public CheckpointInfo Info { get; }
    public ModelConfig Config => Info.Model;
    /// <summary>False when opened for decoding only: then only decoder.onnx was read.</summary>
    public bool HasEncoder { get; }

    public string EncoderPath => Path.Combine(Folder, OnnxContract.EncoderFile);
    public string QuantizerPath => Path.Combine(Folder, OnnxContract.QuantizerFile);
    public string DecoderPath => Path.Combine(Folder, OnnxContract.DecoderFile);

    /// <summary>Latent grid size, codes per position (the residual depth L, else 1) and the length of one code row (h·w·L).</summary>
    public int LatentHeight => Config.LatentHeight;
    public int LatentWidth => Config.LatentWidth;
    public int CodesPerPosition => Config.CodesPerPosition;
    public int CodeCount => Config.CodeCount;
    /// <summary>Length of one image vector (C·H·W).</summary>
    public int PixelCount => Config.PixelCount;

    VqVaeModelFolder(string folder, CheckpointInfo info, bool hasEncoder)
    {
        Folder = folder;
        Info = info;
        HasEncoder = hasEncoder;
    }

    /// <summary>Opens all three graphs. Throws InvalidDataException naming the file and the problem.</summary>
    public static VqVaeModelFolder Open(string path) => Open(path, AllGraphs);

    /// <summary>Opens decoder.onnx alone: code grids are all it needs to rebuild images.</summary>
    public static VqVaeModelFolder OpenDecoder(string path) => Open(path, [OnnxContract.DecoderFile]);

    static VqVaeModelFolder Open(string path, string[] required)
    {
        var folder = Locate(path);
        var missing = required.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"{folder}: missing {string.Join(" and ", missing)} (a model folder holds {string.Join(", ", AllGraphs)})");

        var graphs = required.Select(f => GraphDescription.Read(Path.Combine(folder, f))).ToList();
        foreach (var g in graphs.Skip(1)) CheckAgreement(graphs[0], g);
        foreach (var g in graphs) g.CheckTensors();
        return new VqVaeModelFolder(folder, graphs[0].Info, hasEncoder: required.Contains(OnnxContract.EncoderFile));
    }

    /// <summary>DIR itself when it holds a graph, else DIR/onnx (where `export` writes by default).</summary>
    static string Locate(string path)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new InvalidDataException($"{full}: model folder not found");
        if (AllGraphs.Any(f => File.Exists(Path.Combine(full, f)))) return full;
        var onnx = Path.Combine(full, OnnxContract.OutputFolder);
        if (Directory.Exists(onnx) && AllGraphs.Any(f => File.Exists(Path.Combine(onnx, f)))) return onnx;
        throw new InvalidDataException($"{full}: no ONNX graphs here or in onnx/ (expected {string.Join(", ", AllGraphs)})");
    }

    /// <summary>Graphs exported from one checkpoint agree on every size; a mixed folder would decode garbage.</summary>
    static void CheckAgreement(GraphDescription a, GraphDescription b)
    {
        var differences = a.Info.Model.Differences(b.Info.Model);
        if (differences.Count > 0)
            throw new InvalidDataException(
                $"{a.FileName} and {b.FileName} in {Path.GetDirectoryName(a.Path)} disagree ({string.Join(", ", differences)}): "
                + "they were not exported from the same checkpoint");
    }

    /// <summary>What one graph file declares: its metadata and its input and output tensors.</summary>
    sealed record GraphDescription(string Path, CheckpointInfo Info,
        IReadOnlyDictionary<string, NodeMetadata> Inputs, IReadOnlyDictionary<string, NodeMetadata> Outputs)
    {
        public string FileName => System.IO.Path.GetFileName(Path);

        public static GraphDescription Read(string path)
        {
            if (new FileInfo(path).Length == 0) throw new InvalidDataException($"{path}: empty file, not an ONNX graph");
            try
            {
                // Optimisations off: only the declarations are read, so loading should cost as little as possible.
                using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
                using var session = new InferenceSession(path, options);
                if (!session.ModelMetadata.CustomMetadataMap.TryGetValue(OnnxContract.MetadataKey, out var json))
                    throw new InvalidDataException($"{path}: no '{OnnxContract.MetadataKey}' metadata; export the graphs with vqvae-export");
                var info = CheckpointInfo.FromJson(json, path);
                return new GraphDescription(path, info,
                    new Dictionary<string, NodeMetadata>(session.InputMetadata),
                    new Dictionary<string, NodeMetadata>(session.OutputMetadata));
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidDataException($"{path}: not a readable ONNX graph ({FirstLine(e.Message)})");
            }
        }

        /// <summary>The declared tensors must be the contract's, with sizes matching the metadata.</summary>
        public void CheckTensors()
        {
            var c = Info.Model;
            switch (FileName)
            {
                case OnnxContract.EncoderFile:
                    Expect(Inputs, OnnxContract.Image, typeof(float), c.ImageShape);
                    Expect(Outputs, OnnxContract.ZE, typeof(float), c.LatentShape);
                    break;
                case OnnxContract.QuantizerFile:
                    Expect(Inputs, OnnxContract.ZE, typeof(float), c.LatentShape);
                    Expect(Outputs, OnnxContract.Codes, typeof(long), c.CodeShape);
                    Expect(Outputs, OnnxContract.ZQ, typeof(float), c.LatentShape);
                    break;
                case OnnxContract.DecoderFile:
                    Expect(Inputs, OnnxContract.Codes, typeof(long), c.CodeShape);
                    Expect(Outputs, OnnxContract.Reconstruction, typeof(float), c.ImageShape);
                    break;
            }
        }

        /// <summary>Checks name, element type, and every dimension after the (symbolic) batch one.</summary>
        void Expect(IReadOnlyDictionary<string, NodeMetadata> tensors, string name, Type elementType, params int[] dims)
        {
            var kind = ReferenceEquals(tensors, Inputs) ? "input" : "output";
            if (!tensors.TryGetValue(name, out var meta))
                throw new InvalidDataException(
                    $"{Path}: no {kind} named '{name}' (has {string.Join(", ", tensors.Keys)})");
            var actual = meta.Dimensions;
            if (meta.ElementType != elementType || actual.Length != dims.Length + 1 || !actual.Skip(1).SequenceEqual(dims))
                throw new InvalidDataException(
                    $"{Path}: {kind} '{name}' is {meta.ElementType.Name}[{string.Join(", ", actual)}], "
                    + $"but its metadata means {elementType.Name}[N, {string.Join(", ", dims)}]");
        }
    }

    internal static string FirstLine(string message) =>
        message.Split('\n', 2)[0].Trim();
}
