using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using VqVae.Exporter.Cli;
using VqVae.Exporter.Graphs;
using VqVae.Exporter.Verification;
using VqVae.TestSupport;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Tests;

/// <summary>The int8 export: standard operators only, weights that dequantize to the float ones, codes that agree with float32.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class Int8ExportTests(TrainedModels models) : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-export-int8-").FullName;
    public void Dispose() => Directory.Delete(scratch, recursive: true);

    public static TheoryData<string> PatchModels() => new("patch-gray", "patch-rgb");

    /// <summary>The operators of the ONNX standard (default domain, opset 17) the int8 graphs may use.</summary>
    static readonly HashSet<string> StandardOps = new()
    {
        "Reshape", "Transpose", "Gemm", "MatMul", "Add", "Mul", "Relu", "Sigmoid", "Gather", "Tile",
        "DynamicQuantizeLinear", "MatMulInteger", "Cast",
    };

    string ExportInt8(string name, Int8Scope scope = Int8Scope.EncoderAndDecoder)
    {
        var m = models[name];
        var dir = Path.Combine(scratch, $"{name}-{scope}");
        VqVaeOnnxExporter.Export(m.Model, m.Info, dir, force: true, GraphPrecision.Int8, int8Scope: scope);
        return dir;
    }

    static ModelProto Read(string dir, string file) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(dir, file)));

    [Theory, MemberData(nameof(PatchModels))]
    public void Int8_graphs_use_only_default_domain_opset_17_operators_and_quantize_the_large_products(string name)
    {
        var dir = ExportInt8(name);
        foreach (var file in OnnxContract.Files)
        {
            var proto = Read(dir, file);
            Assert.Equal(8, proto.IrVersion);
            var opset = Assert.Single(proto.OpsetImport);
            Assert.Equal(("", 17L), (opset.Domain, opset.Version));
            Assert.All(proto.Graph.Node, n => Assert.Equal("", n.Domain));
            Assert.All(proto.Graph.Node, n => Assert.True(StandardOps.Contains(n.OpType) || file == OnnxContract.QuantizerFile, $"{file}: {n.OpType}"));
        }
        // The encoder's Linear and the decoder's transposed convolution are integer products; the quantizer has none.
        Assert.Single(Read(dir, OnnxContract.EncoderFile).Graph.Node, n => n.OpType == "MatMulInteger");
        Assert.Single(Read(dir, OnnxContract.DecoderFile).Graph.Node, n => n.OpType == "MatMulInteger");
        Assert.DoesNotContain(Read(dir, OnnxContract.QuantizerFile).Graph.Node, n => n.OpType is "MatMulInteger" or "DynamicQuantizeLinear");
    }

    [Theory, MemberData(nameof(PatchModels))]
    public void Int8_graphs_load_in_onnx_runtime_with_the_float_graphs_interface(string name)
    {
        var dir = ExportInt8(name);
        var m = models[name];
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
            foreach (var file in OnnxContract.Files)
            {
                using var options = new SessionOptions { GraphOptimizationLevel = level };
                using var int8 = new InferenceSession(Path.Combine(dir, file), options);
                using var float32 = new InferenceSession(Path.Combine(m.OnnxDir, file), options);
                Assert.Equal(Describe(float32.InputMetadata), Describe(int8.InputMetadata));
                Assert.Equal(Describe(float32.OutputMetadata), Describe(int8.OutputMetadata));
            }
    }

    static string Describe(IReadOnlyDictionary<string, NodeMetadata> values) =>
        string.Join("; ", values.OrderBy(v => v.Key).Select(v => $"{v.Key} {v.Value.ElementType.Name} [{string.Join(", ", v.Value.Dimensions)}]"));

    /// <summary>
    /// ONNX Runtime's CPU provider fuses each DynamicQuantizeLinear → MatMulInteger → Cast → Mul → Add chain
    /// into one DynamicQuantizeMatMul kernel; if the pattern drifts, the graphs still run but each layer
    /// becomes five passes over its output.
    /// </summary>
    [Fact]
    public void Onnx_runtime_fuses_each_int8_product_into_one_kernel()
    {
        var dir = ExportInt8("patch-gray");
        foreach (var file in new[] { OnnxContract.EncoderFile, OnnxContract.DecoderFile })
        {
            var optimized = Path.Combine(scratch, "optimized-" + file);
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = optimized })
            using (new InferenceSession(Path.Combine(dir, file), options)) { }
            var ops = Read(scratch, "optimized-" + file).Graph.Node.Select(n => n.OpType).ToList();
            Assert.Single(ops, op => op == "DynamicQuantizeMatMul");
            Assert.DoesNotContain("MatMulInteger", ops);
            Assert.DoesNotContain("DynamicQuantizeLinear", ops);
        }
    }

    [Theory, MemberData(nameof(PatchModels))]
    public void Per_channel_int8_weights_dequantize_within_half_a_scale_of_the_float_weights(string name)
    {
        var dir = ExportInt8(name);
        var model = models[name].Model;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var initializers = OnnxContract.Files.SelectMany(f => Read(dir, f).Graph.Initializer).DistinctBy(t => t.Name).ToDictionary(t => t.Name);
        // The x·B layout of each quantized weight, from its Torch parameter.
        var expected = new Dictionary<string, Tensor>
        {
            ["encoder.linear.weight"] = parameters["encoder.linear.weight"].detach().t(),
            ["decoder.cnn.weight"] = parameters["decoder.cnn.weight"].detach().permute(0, 2, 3, 1).flatten(1),
        };
        foreach (var (weight, matrix) in expected)
        {
            var values = initializers[$"{weight}.int8"];
            var scales = initializers[$"{weight}.scale"];
            Assert.Equal((int)DataType.Int8, values.DataType);
            Assert.Equal(matrix.shape, values.Dims.ToArray());
            var q = MemoryMarshal.Cast<byte, sbyte>(values.RawData.Span).ToArray();
            var s = MemoryMarshal.Cast<byte, float>(scales.RawData.Span).ToArray();
            var w = matrix.contiguous().data<float>().ToArray();
            int columns = (int)matrix.shape[1];
            Assert.Equal(columns, s.Length);
            for (int i = 0; i < w.Length; i++)
                Assert.True(Math.Abs(q[i] * s[i % columns] - w[i]) <= s[i % columns] / 2 * (1 + 1e-5),
                    $"{weight}[{i / columns}, {i % columns}]: {q[i]} × {s[i % columns]} vs {w[i]}");
            // Per channel: each column's largest weight maps to ±127.
            for (int n = 0; n < columns; n++)
                Assert.Equal(127, Enumerable.Range(0, w.Length / columns).Max(k => Math.Abs((int)q[k * columns + n])));
        }
    }

    [Theory, MemberData(nameof(PatchModels))]
    public void By_default_only_the_decoder_is_int8_and_the_codes_are_float32s(string name)
    {
        var m = models[name];
        var dir = ExportInt8(name, Int8Scope.Decoder);
        Assert.DoesNotContain(Read(dir, OnnxContract.EncoderFile).Graph.Node, n => n.OpType is "MatMulInteger" or "DynamicQuantizeLinear");
        Assert.Single(Read(dir, OnnxContract.DecoderFile).Graph.Node, n => n.OpType == "MatMulInteger");
        Assert.Equal("float32", Read(dir, OnnxContract.EncoderFile).MetadataProps.Single(p => p.Key == OnnxContract.PrecisionKey).Value);
        using var scope = NewDisposeScope();
        var images = m.Pixels.Concat(TrainedModels.Shapes(m.Model.Config, 100, seed: 4242).data<float>().ToArray()).ToArray();
        var r = Int8Verifier.Verify(m.Model, dir, images, usedImages: true);
        // The float32 graphs' codes match TorchSharp's up to exact ties, which these images do not have.
        Assert.Equal(r.CodesCompared, r.CodesIdentical);
        Assert.True(r.PsnrLoss <= Int8Report.MaxPsnrLoss, $"PSNR {r.Float32Psnr:F2} → {r.Int8Psnr:F2} dB");
    }

    [Theory, MemberData(nameof(PatchModels))]
    public void With_an_int8_encoder_codes_agree_with_float32_on_most_images_and_reconstructions_stay_close(string name)
    {
        var m = models[name];
        var dir = ExportInt8(name);
        // The fixture's 10 images and 100 more of the same kind: 4,900 codes for the gray model, 1,760 for the RGB one.
        using var scope = NewDisposeScope();
        var images = m.Pixels.Concat(TrainedModels.Shapes(m.Model.Config, 100, seed: 4242).data<float>().ToArray()).ToArray();
        var r = Int8Verifier.Verify(m.Model, dir, images, usedImages: true);
        Assert.True(r.CodesIdenticalShare >= Int8Report.MinCodesIdentical, $"{r.CodesIdenticalShare:P2} codes identical");
        Assert.True(r.PsnrLoss <= Int8Report.MaxPsnrLoss, $"PSNR {r.Float32Psnr:F2} → {r.Int8Psnr:F2} dB");
    }

    [Fact]
    public void Metadata_says_each_graphs_precision_and_keeps_the_configuration()
    {
        var m = models["patch-gray"];
        var dir = ExportInt8("patch-gray");
        foreach (var (file, precision) in new[] { (OnnxContract.EncoderFile, "int8"), (OnnxContract.QuantizerFile, "float32"), (OnnxContract.DecoderFile, "int8") })
        {
            var meta = Read(dir, file).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(precision, meta[OnnxContract.PrecisionKey]);
            Assert.Equal(precision, JsonNode.Parse(meta[OnnxContract.MetadataKey])![OnnxContract.PrecisionField]!.GetValue<string>());
            Assert.Equal(m.Info.Model, CheckpointInfo.FromJson(meta[OnnxContract.MetadataKey], file).Model);
        }
        var floatMeta = Read(m.OnnxDir, OnnxContract.EncoderFile).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("float32", floatMeta[OnnxContract.PrecisionKey]);
    }

    [Fact]
    public void Cli_int8_verify_writes_onnx_int8_and_prints_codes_and_psnr()
    {
        var training = Path.Combine(scratch, "training");
        CopyDirectory(models["patch-gray"].TrainingDir, training);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ExportCli.Run(["--model", training, "--int8", "--verify"], output, error);
        Assert.True(code == ExportCli.Ok, error.ToString());
        // The default int8 folder's encoder and quantizer are float32, so a code can differ from TorchSharp's
        // only where ONNX Runtime's float32 sums tip a near-tie of two codes (the CLI verifies on random
        // images here, which have them now and then): "N of N differing" are within 1 % of a tie.
        Assert.Matches(@"codes identical to float32 .*\d+(\.\d+)? %", output.ToString());
        Assert.Matches(@"codes differing, within 1 % of a tie\D*(\d[\d,]*) of \1 differing", output.ToString());
        Assert.Contains("reconstruction PSNR vs input", output.ToString());
        Assert.Contains("Verification passed.", output.ToString());
        foreach (var file in OnnxContract.Files) Assert.True(File.Exists(Path.Combine(training, OnnxContract.Int8OutputFolder, file)));
    }

    [Fact]
    public void Cli_int8_encoder_without_int8_is_one_line_and_writes_nothing()
    {
        var training = Path.Combine(scratch, "encoder-alone");
        CopyDirectory(models["patch-gray"].TrainingDir, training);
        var output = new StringWriter();
        var error = new StringWriter();
        var before = Directory.GetFileSystemEntries(training, "*", SearchOption.AllDirectories).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList();
        int code = ExportCli.Run(["--model", training, "--int8-encoder"], output, error);
        Assert.Equal(ExportCli.BadInput, code);
        Assert.Equal("vqvae-export: --int8-encoder: needs --int8", error.ToString().TrimEnd());
        Assert.Equal(before, Directory.GetFileSystemEntries(training, "*", SearchOption.AllDirectories).Select(f => (f, File.GetLastWriteTimeUtc(f))).ToList());
    }

    [Fact]
    public void Cli_int8_of_a_conv_model_is_one_line_and_writes_nothing()
    {
        var training = Path.Combine(scratch, "conv");
        CopyDirectory(models["conv-gray"].TrainingDir, training);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ExportCli.Run(["--model", training, "--int8"], output, error);
        Assert.Equal(ExportCli.BadInput, code);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.Contains("arch conv", error.ToString());
        Assert.False(Directory.Exists(Path.Combine(training, OnnxContract.Int8OutputFolder)));
    }

    static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to));
    }
}
