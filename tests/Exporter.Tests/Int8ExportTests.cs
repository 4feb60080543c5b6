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

/// <summary>
/// The int8 export: standard operators only, weights that dequantize to the float ones, codes that agree with float32.
/// A decoder exported as a table of its codes (patch-gray, patch-rgb) stays that float32 table; the patch model too
/// narrow for a table (<see cref="NoTableModel"/>) gets the int8 transposed convolution.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class Int8ExportTests(TrainedModels trained, NoTableModel noTable) : IClassFixture<NoTableModel>, IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-export-int8-").FullName;
    public void Dispose() => Directory.Delete(scratch, recursive: true);

    /// <summary>The shared trained models, and the one too narrow for a decoder table.</summary>
    TrainedModel Model(string name) => name == NoTableModel.Name ? noTable.Model : trained[name];

    public static TheoryData<string> PatchModels() => new("patch-gray", "patch-rgb", NoTableModel.Name);

    /// <summary>MatMulInteger nodes the decoder graph must hold: none in a table, one (the transposed convolution) otherwise.</summary>
    int DecoderProducts(string name) => DecoderTableGraph.Fits(Model(name).Model) ? 0 : 1;

    /// <summary>The operators of the ONNX standard (default domain, opset 17) the int8 graphs may use.</summary>
    static readonly HashSet<string> StandardOps = new()
    {
        "Reshape", "Transpose", "Gemm", "MatMul", "Add", "Mul", "Relu", "Sigmoid", "Gather", "Tile",
        "DynamicQuantizeLinear", "MatMulInteger", "Cast", "DepthToSpace",
    };

    string ExportInt8(string name, Int8Scope scope = Int8Scope.EncoderAndDecoder)
    {
        var m = Model(name);
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
        // The encoder's Linear and the direct decoder's transposed convolution are integer products; the quantizer
        // and a table decoder have none.
        Assert.Single(Read(dir, OnnxContract.EncoderFile).Graph.Node, n => n.OpType == "MatMulInteger");
        Assert.Equal(DecoderProducts(name), Read(dir, OnnxContract.DecoderFile).Graph.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.DoesNotContain(Read(dir, OnnxContract.QuantizerFile).Graph.Node, n => n.OpType is "MatMulInteger" or "DynamicQuantizeLinear");
    }

    [Theory, MemberData(nameof(PatchModels))]
    public void Int8_graphs_load_in_onnx_runtime_with_the_float_graphs_interface(string name)
    {
        var dir = ExportInt8(name);
        var m = Model(name);
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
        var dir = ExportInt8(NoTableModel.Name);
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
        var model = Model(name).Model;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var initializers = OnnxContract.Files.SelectMany(f => Read(dir, f).Graph.Initializer).DistinctBy(t => t.Name).ToDictionary(t => t.Name);
        // The x·B layout of each quantized weight, from its Torch parameter; a table decoder has none.
        var expected = new Dictionary<string, Tensor> { ["encoder.linear.weight"] = parameters["encoder.linear.weight"].detach().t() };
        if (DecoderProducts(name) == 1) expected["decoder.cnn.weight"] = parameters["decoder.cnn.weight"].detach().permute(0, 2, 3, 1).flatten(1);
        else Assert.DoesNotContain("decoder.cnn.weight.int8", initializers.Keys);
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

    [Fact]
    public void By_default_only_the_direct_decoder_is_int8_and_the_codes_are_float32s()
    {
        var name = NoTableModel.Name;
        var m = Model(name);
        Assert.False(DecoderTableGraph.Fits(m.Model));
        var dir = ExportInt8(name, Int8Scope.Decoder);
        Assert.DoesNotContain(Read(dir, OnnxContract.EncoderFile).Graph.Node, n => n.OpType is "MatMulInteger" or "DynamicQuantizeLinear");
        Assert.Single(Read(dir, OnnxContract.DecoderFile).Graph.Node, n => n.OpType == "MatMulInteger");
        Assert.Equal("float32", Read(dir, OnnxContract.EncoderFile).MetadataProps.Single(p => p.Key == OnnxContract.PrecisionKey).Value);
        using var scope = NewDisposeScope();
        var images = m.Pixels.Concat(TrainedModels.Shapes(m.Model.Config, 100, seed: 4242).data<float>().ToArray()).ToArray();
        var r = Int8Verifier.Verify(m.Model, dir, images, usedImages: true);
        Assert.Equal([OnnxContract.DecoderFile], r.Int8Graphs);
        // The float32 graphs' codes match TorchSharp's up to exact ties, which these images do not have.
        Assert.Equal(r.CodesCompared, r.CodesIdentical);
        Assert.True(r.PsnrLoss <= Int8Report.MaxPsnrLoss, $"PSNR {r.Float32Psnr:F2} → {r.Int8Psnr:F2} dB");
        // int8 rounding shows in the reconstructions: they are close to float32's, not equal.
        var (float32, int8) = DecodeInBoth(m, dir);
        Assert.NotEqual(float32, int8);
    }

    /// <summary>The table decoder has no product to quantize: --int8 keeps it, so the default folder is float32's graphs.</summary>
    [Theory]
    [InlineData("patch-gray")]
    [InlineData("patch-rgb")]
    public void A_table_decoder_stays_the_float32_table_and_reconstructs_exactly_as_float32(string name)
    {
        var m = Model(name);
        Assert.True(DecoderTableGraph.Fits(m.Model));
        var dir = ExportInt8(name, Int8Scope.Decoder);
        var int8Decoder = Read(dir, OnnxContract.DecoderFile);
        var floatDecoder = Read(m.OnnxDir, OnnxContract.DecoderFile);
        Assert.Equal(floatDecoder.Graph.Node.Select(n => n.OpType), int8Decoder.Graph.Node.Select(n => n.OpType));
        Assert.Contains(int8Decoder.Graph.Node, n => n.OpType == "Gather");
        Assert.Equal(floatDecoder.Graph.Initializer.Single(t => t.Name == DecoderTableGraph.TableName).RawData,
            int8Decoder.Graph.Initializer.Single(t => t.Name == DecoderTableGraph.TableName).RawData);
        Assert.Equal("float32", int8Decoder.MetadataProps.Single(p => p.Key == OnnxContract.PrecisionKey).Value);

        using var scope = NewDisposeScope();
        var images = m.Pixels.Concat(TrainedModels.Shapes(m.Model.Config, 100, seed: 4242).data<float>().ToArray()).ToArray();
        var r = Int8Verifier.Verify(m.Model, dir, images, usedImages: true);
        Assert.Empty(r.Int8Graphs);
        Assert.Equal(r.CodesCompared, r.CodesIdentical);
        // Both folders' decoders on the same codes: the same numbers.
        var (float32, int8) = DecodeInBoth(m, dir);
        Assert.Equal(float32, int8);
    }

    /// <summary>The float32 folder's and the int8 folder's decoder.onnx on the same codes (3 images, every code used).</summary>
    static (float[] Float32, float[] Int8) DecodeInBoth(TrainedModel m, string int8Dir)
    {
        var c = m.Model.Config;
        var codes = Enumerable.Range(0, 3 * c.LatentHeight * c.LatentWidth).Select(i => (long)(i * 7 % c.CodebookSize)).ToArray();
        long[] shape = [3, c.LatentHeight, c.LatentWidth];
        using var int8 = new OrtGraph(Path.Combine(int8Dir, OnnxContract.DecoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        using var float32 = new OrtGraph(Path.Combine(m.OnnxDir, OnnxContract.DecoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        return ((float[])float32.Run(OnnxContract.Codes, codes, shape)[OnnxContract.Reconstruction],
            (float[])int8.Run(OnnxContract.Codes, codes, shape)[OnnxContract.Reconstruction]);
    }

    [Theory, MemberData(nameof(PatchModels))]
    public void With_an_int8_encoder_codes_agree_with_float32_on_most_images_and_reconstructions_stay_close(string name)
    {
        var m = Model(name);
        var dir = ExportInt8(name);
        // The fixture's 10 images and 100 more of the same kind: 4,900 codes for the gray model, 1,760 for the RGB one.
        using var scope = NewDisposeScope();
        var images = m.Pixels.Concat(TrainedModels.Shapes(m.Model.Config, 100, seed: 4242).data<float>().ToArray()).ToArray();
        var r = Int8Verifier.Verify(m.Model, dir, images, usedImages: true);
        Assert.Equal(DecoderProducts(name) == 1 ? [OnnxContract.EncoderFile, OnnxContract.DecoderFile] : [OnnxContract.EncoderFile], r.Int8Graphs);
        Assert.True(r.CodesIdenticalShare >= Int8Report.MinCodesIdentical, $"{r.CodesIdenticalShare:P2} codes identical");
        Assert.True(r.PsnrLoss <= Int8Report.MaxPsnrLoss, $"PSNR {r.Float32Psnr:F2} → {r.Int8Psnr:F2} dB");
    }

    [Theory]
    [InlineData("patch-gray", "float32")]
    [InlineData(NoTableModel.Name, "int8")]
    public void Metadata_says_each_graphs_precision_and_keeps_the_configuration(string name, string decoderPrecision)
    {
        var m = Model(name);
        var dir = ExportInt8(name);
        foreach (var (file, precision) in new[] { (OnnxContract.EncoderFile, "int8"), (OnnxContract.QuantizerFile, "float32"), (OnnxContract.DecoderFile, decoderPrecision) })
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
        CopyDirectory(Model("patch-gray").TrainingDir, training);
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
        Assert.Contains("decoder: a table of 16 codes' patches, kept in float32 (nothing to quantize); the encoder and quantizer are float32 too", output.ToString());
        Assert.Contains("int8 graphs: none", output.ToString());
        Assert.Contains("Verification passed.", output.ToString());
        foreach (var file in OnnxContract.Files) Assert.True(File.Exists(Path.Combine(training, OnnxContract.Int8OutputFolder, file)));
    }

    [Theory]
    [InlineData("patch-gray", "int8 graphs: encoder.onnx")]
    [InlineData(NoTableModel.Name, "int8 graphs: encoder.onnx, decoder.onnx")]
    public void Cli_int8_encoder_verify_names_the_int8_graphs_and_says_whether_the_decoder_is_a_table(string name, string int8Graphs)
    {
        var training = Path.Combine(scratch, "with-encoder-" + name);
        CopyDirectory(Model(name).TrainingDir, training);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ExportCli.Run(["--model", training, "--int8", "--int8-encoder", "--verify"], output, error);
        Assert.True(code is ExportCli.Ok or ExportCli.VerificationFailed, error.ToString());
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains(int8Graphs, lines);
        var tableLines = lines.Where(l => l.StartsWith("decoder: a table of", StringComparison.Ordinal)).ToList();
        if (DecoderTableGraph.Fits(Model(name).Model)) Assert.Equal(["decoder: a table of 16 codes' patches, kept in float32 (nothing to quantize)"], tableLines);
        else Assert.Empty(tableLines);
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
