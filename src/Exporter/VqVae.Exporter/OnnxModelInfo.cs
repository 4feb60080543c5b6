using Onnx;
using VqVae.Checkpoints;

namespace VqVae.Exporter;

/// <summary>Reads back the checkpoint information an exported graph carries in its metadata_props.</summary>
public static class OnnxModelInfo
{
    public static CheckpointInfo Read(string onnxPath)
    {
        if (!File.Exists(onnxPath)) throw new FileNotFoundException($"{onnxPath}: no such ONNX file", onnxPath);
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath)); }
        catch (Google.Protobuf.InvalidProtocolBufferException e) { throw new InvalidDataException($"{onnxPath}: not an ONNX model ({e.Message})"); }
        var entry = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxContract.MetadataKey)
            ?? throw new InvalidDataException($"{onnxPath}: no '{OnnxContract.MetadataKey}' metadata (not exported by vqvae-export)");
        return CheckpointInfo.FromJson(entry.Value, onnxPath);
    }
}
