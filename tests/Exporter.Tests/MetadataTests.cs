using Microsoft.ML.OnnxRuntime;
using VqVae.Checkpoints;
using VqVae.TestSupport;

namespace VqVae.Exporter.Tests;

[Collection(TrainedModelsCollection.Name)]
public sealed class MetadataTests(TrainedModels models)
{
    public static TheoryData<string> Names() => new(TrainedModels.Names);

    [Theory, MemberData(nameof(Names))]
    public void Every_graph_carries_the_checkpoint_information(string name)
    {
        var m = models[name];
        var saved = Checkpoint.ReadInfo(Path.Combine(m.TrainingDir, Checkpoint.BestFolder));
        foreach (var file in OnnxContract.Files)
        {
            var path = Path.Combine(m.OnnxDir, file);
            var info = OnnxModelInfo.Read(path);
            Assert.Equal(saved.Model, info.Model);
            Assert.Equal(m.Model.Config, info.Model);
            Assert.Equal(saved.Epoch, info.Epoch);
            Assert.Equal(saved.Metrics, info.Metrics);
            Assert.Equal(saved.Training, info.Training);
            Assert.Equal(saved.Producer, info.Producer);
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void Onnx_runtime_sees_the_metadata_as_a_consumer_would(string name)
    {
        var m = models[name];
        var c = m.Model.Config;
        using var session = new InferenceSession(Path.Combine(m.OnnxDir, OnnxContract.DecoderFile));
        var map = session.ModelMetadata.CustomMetadataMap;
        // The consumer parses the same JSON with the same code, without TorchSharp.
        Assert.Equal(c, CheckpointInfo.FromJson(map[OnnxContract.MetadataKey], "decoder.onnx").Model);
        Assert.Equal(KebabCase.Name(c.Arch), map[OnnxContract.ArchKey]);
        Assert.Equal(c.Channels.ToString(), map[OnnxContract.ChannelsKey]);
        Assert.Equal(c.Height.ToString(), map[OnnxContract.HeightKey]);
        Assert.Equal(c.Width.ToString(), map[OnnxContract.WidthKey]);
        Assert.Equal(c.PatchSize.ToString(), map[OnnxContract.PatchSizeKey]);
        Assert.Equal(c.HiddenSize.ToString(), map[OnnxContract.HiddenSizeKey]);
        Assert.Equal(c.CodebookSize.ToString(), map[OnnxContract.CodebookSizeKey]);
        Assert.Equal("VqVaeMl", session.ModelMetadata.ProducerName);
    }

    [Fact]
    public void Reading_a_file_without_metadata_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-vqvae-{Guid.NewGuid():N}.onnx");
        try
        {
            var g = new Onnx.OnnxGraphBuilder("empty", "no metadata");
            g.AddInput("x", global::Onnx.TensorProto.Types.DataType.Float, new Onnx.Dim[] { 1 }, "x");
            g.AddNode("Relu", new[] { "x" }, "y");
            g.AddOutput("y", global::Onnx.TensorProto.Types.DataType.Float, new Onnx.Dim[] { 1 }, "y");
            File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(g.Build("test", "0")));
            var e = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(path));
            Assert.StartsWith(path, e.Message);
            Assert.Contains("no 'vqvae' metadata", e.Message);
        }
        finally { File.Delete(path); }
    }
}
