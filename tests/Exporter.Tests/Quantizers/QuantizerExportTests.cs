using Microsoft.ML.OnnxRuntime;
using Onnx;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Exporter.Graphs;
using VqVae.Exporter.Verification;
using VqVae.Model.Quantizers;
using VqVae.Training;
using Xunit.Abstractions;

namespace VqVae.Exporter.Tests.Quantizers;

/// <summary>Small FSQ and residual-VQ models, trained a few steps by the training loop and exported as a user would.</summary>
public sealed class QuantizerModels : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("vqvae-quantizer-export-").FullName;
    public IReadOnlyDictionary<string, TrainedModel> All { get; }

    public static readonly string[] Names = { "fsq-patch-gray", "rvq-conv-gray", "rvq-patch-rgb" };

    public QuantizerModels()
    {
        var gray = new ModelConfig { Channels = 1, Height = 28, Width = 28, PatchSize = 4, HiddenSize = 16 };
        var configs = new Dictionary<string, ModelConfig>
        {
            ["fsq-patch-gray"] = gray with { Quantizer = QuantizerKind.Fsq, Levels = new FsqLevels([5, 4, 3]), CodebookSize = 60 },
            ["rvq-conv-gray"] = gray with { Arch = Arch.Conv, ConvChannels = 8, CodebookSize = 8, Quantizer = QuantizerKind.Rvq, Depth = 3 },
            ["rvq-patch-rgb"] = new() { Channels = 3, Height = 8, Width = 8, PatchSize = 2, HiddenSize = 8, CodebookSize = 8, Quantizer = QuantizerKind.Rvq, Depth = 2 },
        };
        All = configs.ToDictionary(kv => kv.Key, kv => Train(kv.Key, kv.Value));
    }

    public TrainedModel this[string name] => All[name];

    TrainedModel Train(string name, ModelConfig config)
    {
        var images = TrainedModels.Shapes(config, 64, name.Length);
        var options = new TrainingOptions
        {
            // FSQ's projection starts small, so every patch lands on the grid's centre until it has trained a little.
            Model = config, Epochs = config.Quantizer == QuantizerKind.Fsq ? 8 : 1, BatchSize = 16, LearningRate = 3e-3, Device = ComputeDevice.Cpu, Seed = 3, KmeansBatches = 2,
            Codebook = config.Quantizer == QuantizerKind.Fsq
                ? new CodebookTraining()
                : new CodebookTraining { Update = CodebookUpdate.Ema, EmaDecay = 0.8, KmeansInit = true, DeadCodeThreshold = 0.5 },
        };
        var trainingDir = Path.Combine(Root, name);
        var loop = new TrainingLoop(options, images, images);
        loop.Run(trainingDir);
        loop.Model.Dispose();
        var (model, info) = Checkpoint.Load(trainingDir);
        var result = VqVaeOnnxExporter.ExportCheckpoint(trainingDir);
        float[] test;
        using (var scope = torch.NewDisposeScope()) test = TrainedModels.Shapes(config, 10, 99).data<float>().ToArray();
        return new TrainedModel(name, model, info, trainingDir, result.OutputDirectory, test);
    }

    public void Dispose()
    {
        foreach (var m in All.Values) m.Model.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

public sealed class QuantizerExportTests(QuantizerModels models, ITestOutputHelper log) : IClassFixture<QuantizerModels>
{
    public static TheoryData<string> Names() => new(QuantizerModels.Names);

    public static TheoryData<string, GraphOptimizationLevel> Cases() => ParityCheck.Cases(QuantizerModels.Names);

    [Theory, MemberData(nameof(Cases))]
    public void Graphs_match_torch_within_tolerance(string name, GraphOptimizationLevel level)
    {
        var m = models[name];
        ParityCheck.AssertWithinTolerance(name, m.Model, m.OnnxDir, m.Images, level, log);
    }

    [Theory, MemberData(nameof(Names))]
    public void Codes_are_not_trivial_and_the_interface_carries_the_depth(string name)
    {
        var m = models[name];
        var c = m.Model.Config;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.tensor(m.Images, [m.Images.Length / (c.Channels * c.Height * c.Width), c.Channels, c.Height, c.Width]);
        var codes = m.Model.Quantize(m.Model.Encode(x)).Codes;
        var distinct = codes.unique().Item1.shape[0];
        log.WriteLine($"{name}: {distinct} distinct codes");
        Assert.True(distinct >= 4, $"only {distinct} code(s) used");

        long[] codeDims = c.Quantizer == QuantizerKind.Rvq ? [-1, c.LatentHeight, c.LatentWidth, c.Depth] : [-1, c.LatentHeight, c.LatentWidth];
        using var quantizer = new InferenceSession(Path.Combine(m.OnnxDir, OnnxContract.QuantizerFile));
        using var decoder = new InferenceSession(Path.Combine(m.OnnxDir, OnnxContract.DecoderFile));
        Assert.Equal(codeDims, quantizer.OutputMetadata[OnnxContract.Codes].Dimensions.Select(d => (long)d));
        Assert.Equal(codeDims, decoder.InputMetadata[OnnxContract.Codes].Dimensions.Select(d => (long)d));
        var map = decoder.ModelMetadata.CustomMetadataMap;
        Assert.Equal(KebabCase.Name(c.Quantizer), map[OnnxContract.QuantizerKey]);
        Assert.Equal(c.Depth.ToString(), map[OnnxContract.DepthKey]);
        Assert.Equal(c.Levels?.ToString(), map.GetValueOrDefault(OnnxContract.LevelsKey));
        Assert.Equal(c, CheckpointInfo.FromJson(map[OnnxContract.MetadataKey], "decoder.onnx").Model);
    }

    [Theory, MemberData(nameof(Names))]
    public void Graphs_are_opset_17_default_domain_with_every_parameter(string name)
    {
        var m = models[name];
        var parameters = m.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var exported = new HashSet<string>();
        foreach (var file in OnnxContract.Files)
        {
            var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(m.OnnxDir, file)));
            Assert.Equal(17, Assert.Single(proto.OpsetImport).Version);
            Assert.All(proto.Graph.Node, n => Assert.Equal("", n.Domain));
            // Float initializers are the parameters; the int64 ones shapes and the quantizer's constants its own.
            foreach (var init in proto.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && !t.Name.StartsWith("quantizer.")))
            {
                if (init.Name == DecoderTableGraph.TableName) { exported.Add(init.Name); continue; }
                Assert.True(parameters.TryGetValue(init.Name, out var p), $"{file}: initializer {init.Name} is not a parameter name");
                Assert.Equal(p!.detach().data<float>().ToArray(), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(init.RawData.Span).ToArray());
                exported.Add(init.Name);
            }
        }
        // A patch decoder exported as its table (where it fits) carries its weights through the table alone.
        bool table = exported.Remove(DecoderTableGraph.TableName);
        Assert.Equal(DecoderTableGraph.Fits(m.Model), table);
        Assert.Equal(parameters.Keys.Where(k => !(table && k.StartsWith("decoder."))).Order(), exported.Order());
    }

    [Fact]
    public void Fsq_direct_decoder_holds_no_table_of_its_grid()
    {
        var m = models["fsq-patch-gray"];
        var proto = VqVaeGraphs.Decoder(m.Model, m.Info, allowTable: false);
        Assert.Contains("Mod", proto.Graph.Node.Select(n => n.OpType));
        Assert.DoesNotContain(proto.Graph.Initializer, t => t.Dims.Count > 0 && t.Dims[0] == 60);
    }

    [Fact]
    public void Fsq_table_decoder_holds_pixels_per_code_not_the_grid()
    {
        var m = models["fsq-patch-gray"];
        var c = m.Model.Config;
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(m.OnnxDir, OnnxContract.DecoderFile)));
        var table = Assert.Single(proto.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float);
        Assert.Equal(new long[] { c.CodebookSize, c.PatchSize * c.PatchSize * c.Channels }, table.Dims.ToArray());
    }

    [Fact]
    public void A_table_larger_than_the_direct_graphs_weights_keeps_the_direct_graph()
    {
        // 2^16 codes × 16 pixels outweigh a D = 16 decoder and its projection many times over.
        var config = new ModelConfig { HiddenSize = 16, Quantizer = QuantizerKind.Fsq, Levels = FsqLevels.Parse("16,16,16,16"), CodebookSize = 65536 };
        using var model = new VqVae.Model.VqVaeModel(config);
        Assert.False(DecoderTableGraph.Fits(model));
        var proto = VqVaeGraphs.Decoder(model, new CheckpointInfo { Model = config });
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "DepthToSpace");
        Assert.Contains(proto.Graph.Node, n => n.OpType == "Gemm");
    }

    [Fact]
    public void Changed_codebooks_or_projections_are_mismatches_not_ties()
    {
        var quick = new VerifyOptions { BatchSizes = [3] };
        var rvq = models["rvq-conv-gray"];
        var (model, _) = Checkpoint.Load(rvq.TrainingDir);
        using (model)
        {
            // The last level's codes swapped in pairs: its indices now name other vectors than the graph's.
            var level = ((ResidualVectorQuantizer)model.quantizer).levels[^1].weight;
            using (torch.no_grad()) level.copy_(level.index_select(0, torch.arange(level.shape[0]).reshape(-1, 2).flip(1).flatten()));
            var report = OnnxVerifier.Verify(model, rvq.OnnxDir, quick);
            Assert.False(report.Passed);
            Assert.True(report.CodeMismatches > 0);
        }
        var fsq = models["fsq-patch-gray"];
        (model, _) = Checkpoint.Load(fsq.TrainingDir);
        using (model)
        {
            using (torch.no_grad()) ((FiniteScalarQuantizer)model.quantizer).project_in.bias!.add_(0.7);
            var report = OnnxVerifier.Verify(model, fsq.OnnxDir, quick);
            Assert.False(report.Passed);
            Assert.True(report.CodeMismatches > 0, $"{report.CodeTies} ties, {report.CodeMismatches} mismatches");
        }
    }

    [Fact]
    public void Int8_export_refuses_other_quantizers_in_one_line_and_writes_nothing()
    {
        var m = models["fsq-patch-gray"];
        var e = Assert.Throws<NotSupportedException>(() => VqVaeOnnxExporter.ExportCheckpoint(m.TrainingDir, precision: GraphPrecision.Int8));
        Assert.Contains("int8 export covers the vq quantizer; this model's is fsq", e.Message);
        Assert.False(Directory.Exists(Path.Combine(m.TrainingDir, OnnxContract.Int8OutputFolder)));
    }
}
