using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using VqVae.Exporter.Graphs;
using VqVae.Exporter.Verification;

namespace VqVae.Exporter.Tests;

/// <summary>
/// The patch model's convolutions (kernel = stride) are exported as matrix products, not as ONNX Conv /
/// ConvTranspose, which ONNX Runtime runs far slower on these shapes; the conv model keeps its convolutions.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class PatchGraphTests(TrainedModels models)
{
    public static TheoryData<string> PatchNames() => new("patch-gray", "patch-rgb");

    [Theory, MemberData(nameof(PatchNames))]
    public void Patch_graphs_use_matrix_products_and_still_match_torch(string name)
    {
        var m = models[name];
        var direct = Path.Combine(Path.GetTempPath(), $"vqvae-direct-decoder-{Guid.NewGuid():N}");
        Directory.CreateDirectory(direct);
        try
        {
            // The folder with its decoder written as the direct graph, for the same checks on it.
            foreach (var file in OnnxContract.Files) File.Copy(Path.Combine(m.OnnxDir, file), Path.Combine(direct, file));
            File.WriteAllBytes(Path.Combine(direct, OnnxContract.DecoderFile), VqVaeGraphs.Decoder(m.Model, m.Info, allowTable: false).ToByteArray());
            foreach (var (dir, file) in new[] { (m.OnnxDir, OnnxContract.EncoderFile), (direct, OnnxContract.DecoderFile) })
            {
                var ops = OpTypes(dir, file);
                Assert.DoesNotContain("Conv", ops);
                Assert.DoesNotContain("ConvTranspose", ops);
                Assert.Contains("Gemm", ops);
            }
            Assert.Equal(["Gather", "Transpose", "DepthToSpace"], OpTypes(m.OnnxDir, OnnxContract.DecoderFile));
            foreach (var dir in new[] { m.OnnxDir, direct })
                Matches(m, dir);
        }
        finally { Directory.Delete(direct, recursive: true); }
    }

    static void Matches(TrainedModel m, string dir)
    {

        // As written (no ONNX Runtime rewriting), on random images and random codes at every position.
        var report = OnnxVerifier.Verify(m.Model, dir, new VerifyOptions { Optimization = GraphOptimizationLevel.ORT_DISABLE_ALL });
        Assert.True(report.EncoderMaxDiff <= 1e-5, $"encoder max diff {report.EncoderMaxDiff}");
        Assert.True(report.DecoderMaxDiff <= 1e-5, $"decoder max diff {report.DecoderMaxDiff}");
        Assert.True(report.ChainMaxDiff <= 1e-5, $"chain max diff {report.ChainMaxDiff}");
        Assert.Equal(0, report.CodeMismatches);
    }

    [Fact]
    public void Conv_model_keeps_its_convolutions()
    {
        var dir = models["conv-gray"].OnnxDir;
        Assert.Contains("Conv", OpTypes(dir, OnnxContract.EncoderFile));
        Assert.Contains("ConvTranspose", OpTypes(dir, OnnxContract.DecoderFile));
    }

    static List<string> OpTypes(string dir, string file) =>
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, file))).Graph.Node.Select(n => n.OpType).ToList();
}
