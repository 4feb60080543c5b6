using Microsoft.ML.OnnxRuntime;
using Onnx;
using VqVae.Exporter.Cli;
using VqVae.Exporter.Import;
using VqVae.Exporter.Verification;
using VqVae.TestSupport;

namespace VqVae.Exporter.Tests.Import;

/// <summary>
/// vqvae-export import on the committed PyTorch fixtures (torch.onnx graphs at opsets 13, 17 and a hand-built 18, in each
/// layout a user may export) and on VqVaeMl's own exported graphs: the imported folder gives PyTorch's codes and
/// reconstructions, and our own graphs come back identical.
/// </summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class GraphImportTests(TrainedModels models) : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-import-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    static (int Code, string Out, string Err) Run(params string[] args) => ExportCliRunner.Run(args);

    string Import(string model, string encoder, string decoder, params string[] more)
    {
        var outDir = Path.Combine(scratch, $"{model}-{Path.GetFileNameWithoutExtension(encoder)}-{Path.GetFileNameWithoutExtension(decoder)}");
        var (code, _, error) = Run(["import", "--encoder", PyTorchFixtures.File(model, encoder), "--decoder", PyTorchFixtures.File(model, decoder),
            "--codebook", PyTorchFixtures.File(model, "codebook.npy"), "--out", outDir, .. more]);
        Assert.True(code == 0, error);
        return outDir;
    }

    public static TheoryData<string, string, string, string[]> Layouts => new()
    {
        { PyTorchFixtures.Mnist, "encoder.onnx", "decoder.onnx", [] },
        { PyTorchFixtures.Mnist, "encoder_nchw.onnx", "decoder_nhwc.onnx", ["--encoder-output", "nchw", "--decoder-input", "z-q-nhwc"] },
        { PyTorchFixtures.Mnist, "encoder.onnx", "decoder_logits.onnx", ["--decoder-output", "logits"] },
        { PyTorchFixtures.Mnist, "encoder_opset18.onnx", "decoder_opset18.onnx", [] },
        { PyTorchFixtures.Rgb, "encoder.onnx", "decoder.onnx", [] },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void An_imported_folder_gives_PyTorchs_codes_and_reconstructions(string model, string encoder, string decoder, string[] options)
    {
        var folder = Import(model, encoder, decoder, options);
        var (pixels, count, channels, size) = PyTorchFixtures.Images(model);
        var codebook = PyTorchFixtures.Npy(model, "codebook.npy");
        var expectedCodes = PyTorchFixtures.Npy(model, "codes.npy");
        var expectedRecon = PyTorchFixtures.Npy(model, "recon.npy");
        var info = OnnxModelInfo.Read(Path.Combine(folder, OnnxContract.DecoderFile));
        Assert.Equal(Arch.Imported, info.Model.Arch);
        Assert.Equal([channels, size, size], info.Model.ImageShape);
        Assert.Equal(expectedCodes.Shape.Skip(1).Select(d => (int)d), info.Model.CodeShape);
        Assert.Equal((int)codebook.Shape[1], info.Model.HiddenSize);

        using var enc = new OrtGraph(Path.Combine(folder, OnnxContract.EncoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        using var quant = new OrtGraph(Path.Combine(folder, OnnxContract.QuantizerFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        using var dec = new OrtGraph(Path.Combine(folder, OnnxContract.DecoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        var ze = (float[])enc.Run(OnnxContract.Image, pixels, [count, channels, size, size])[OnnxContract.ZE];
        var codes = (long[])quant.Run(OnnxContract.ZE, ze, [count, .. info.Model.LatentShape.Select(d => (long)d)])[OnnxContract.Codes];
        var (ties, mismatches) = CodeTies.Compare(expectedCodes.Longs, codes, ze, codebook.Floats, info.Model.HiddenSize);
        Assert.Equal(0, mismatches);
        Assert.True(ties == 0, $"{ties} ties on fixtures whose nearest-code margin is ≥ 3e-4");

        var recon = (float[])dec.Run(OnnxContract.Codes, expectedCodes.Longs!, [count, .. info.Model.CodeShape.Select(d => (long)d)])[OnnxContract.Reconstruction];
        Assert.Equal(expectedRecon.Floats!.Length, recon.Length);
        Assert.True(MaxDifference(expectedRecon.Floats, recon) <= 1e-5, $"reconstruction differs from PyTorch's by {MaxDifference(expectedRecon.Floats, recon):E2}");
    }

    [Fact]
    public void A_model_trained_on_pixels_in_minus_one_to_one_takes_and_gives_zero_to_one()
    {
        var folder = Import(PyTorchFixtures.Mnist, "encoder.onnx", "decoder.onnx", "--pixel-range", "-1,1");
        var (pixels, count, channels, size) = PyTorchFixtures.Images(PyTorchFixtures.Mnist);
        long[] shape = [count, channels, size, size];
        using var original = new OrtGraph(PyTorchFixtures.File(PyTorchFixtures.Mnist, "encoder.onnx"), GraphOptimizationLevel.ORT_ENABLE_ALL);
        using var imported = new OrtGraph(Path.Combine(folder, OnnxContract.EncoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        var expected = (float[])original.Run("x", pixels.Select(v => 2 * v - 1).ToArray(), shape)["z_e"];
        Assert.Equal(expected, (float[])imported.Run(OnnxContract.Image, pixels, shape)[OnnxContract.ZE]);

        var codes = PyTorchFixtures.Npy(PyTorchFixtures.Mnist, "codes.npy");
        using var dec = new OrtGraph(Path.Combine(folder, OnnxContract.DecoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        var recon = (float[])dec.Run(OnnxContract.Codes, codes.Longs!, codes.Shape)[OnnxContract.Reconstruction];
        var mapped = PyTorchFixtures.Npy(PyTorchFixtures.Mnist, "recon.npy").Floats!.Select(y => (y + 1) / 2).ToArray();
        Assert.True(MaxDifference(mapped, recon) <= 1e-6, $"(y + 1) / 2 differs by {MaxDifference(mapped, recon):E2}");
    }

    [Fact]
    public void An_opset_18_graph_keeps_its_opset()
    {
        var folder = Import(PyTorchFixtures.Mnist, "encoder_opset18.onnx", "decoder_opset18.onnx");
        foreach (var file in new[] { OnnxContract.EncoderFile, OnnxContract.DecoderFile })
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, file)));
            Assert.Equal(18, model.OpsetImport.Single(o => o.Domain == "").Version);
        }
    }

    [Fact]
    public void A_graph_with_a_fixed_batch_of_one_takes_a_batch_of_any_size()
    {
        var folder = Import(PyTorchFixtures.Rgb, "encoder.onnx", "decoder.onnx");
        var (pixels, count, channels, size) = PyTorchFixtures.Images(PyTorchFixtures.Rgb);
        using var enc = new OrtGraph(Path.Combine(folder, OnnxContract.EncoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        var ze = (float[])enc.Run(OnnxContract.Image, pixels, [count, channels, size, size])[OnnxContract.ZE];
        Assert.Equal(count * 8 * 8 * 6, ze.Length);
    }

    [Theory]
    [InlineData("patch-gray")]
    [InlineData("conv-rgb")]
    public void Importing_our_own_graphs_with_their_codebook_gives_identical_codes_and_reconstructions(string name)
    {
        var m = models[name];
        var quantizer = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(m.OnnxDir, OnnxContract.QuantizerFile)));
        var table = quantizer.Graph.Initializer.Single(t => t.Name == "codebook.weight");
        var codebook = Path.Combine(scratch, $"{name}-codebook.npy");
        NpyWriter.WriteFloat32(codebook, table.RawData.ToByteArray(), [.. table.Dims]);
        var outDir = Path.Combine(scratch, $"{name}-imported");
        var (code, _, error) = Run("import", "--encoder", Path.Combine(m.OnnxDir, OnnxContract.EncoderFile), "--decoder", Path.Combine(m.OnnxDir, OnnxContract.DecoderFile),
            "--codebook", codebook, "--decoder-input", "codes", "--out", outDir);
        Assert.True(code == 0, error);

        var c = m.Info.Model;
        long n = m.Pixels.Length / c.PixelCount;
        var (zeA, codesA, reconA) = Chain(m.OnnxDir, m.Pixels, n, c);
        var (zeB, codesB, reconB) = Chain(outDir, m.Pixels, n, c);
        Assert.Equal(zeA, zeB);
        Assert.Equal(codesA, codesB);
        Assert.Equal(reconA, reconB);
    }

    [Theory]
    [InlineData("mnist/encoder.onnx", "rgb/decoder.onnx", "mnist/codebook.npy", "input 'onnx::ConvTranspose_0' is [1, 6, 8, 8]")]
    [InlineData("mnist/encoder.onnx", "mnist/decoder.onnx", "rgb/codebook.npy", "is not the codebook's D = 6")]
    [InlineData("mnist/encoder.onnx", "mnist/decoder.onnx", "mnist/codes.npy", "the codebook is float32 [K, D]")]
    [InlineData("mnist/encoder_nchw.onnx", "mnist/decoder.onnx", "mnist/codebook.npy", "give --encoder-output nchw")]
    [InlineData("mnist/encoder.onnx", "mnist/decoder_logits.onnx", "mnist/codebook.npy", "give --decoder-output logits")]
    [InlineData("mnist/codebook.npy", "mnist/decoder.onnx", "mnist/codebook.npy", "not an ONNX model")]
    public void What_cannot_be_mapped_is_refused_in_one_line_and_nothing_is_written(string encoder, string decoder, string codebook, string problem)
    {
        string F(string relative) => Path.Combine(PyTorchFixtures.Folder(""), relative);
        var outDir = Path.Combine(scratch, "refused");
        var (code, _, error) = Run("import", "--encoder", F(encoder), "--decoder", F(decoder), "--codebook", F(codebook), "--out", outDir);
        Assert.Equal(ExportCli.BadInput, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(problem, line);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_graph_of_two_inputs_is_refused_naming_them()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(PyTorchFixtures.File(PyTorchFixtures.Mnist, "encoder.onnx")));
        var extra = model.Graph.Input[0].Clone();
        extra.Name = "mask";
        model.Graph.Input.Add(extra);
        var encoder = Path.Combine(scratch, "two-inputs.onnx");
        File.WriteAllBytes(encoder, Google.Protobuf.MessageExtensions.ToByteArray(model));
        var (code, _, error) = Run("import", "--encoder", encoder, "--decoder", PyTorchFixtures.File(PyTorchFixtures.Mnist, "decoder.onnx"),
            "--codebook", PyTorchFixtures.File(PyTorchFixtures.Mnist, "codebook.npy"), "--out", Path.Combine(scratch, "two"));
        Assert.Equal(ExportCli.BadInput, code);
        Assert.Contains("2 inputs (x, mask)", error);
    }

    static (float[] ZE, long[] Codes, float[] Reconstruction) Chain(string folder, float[] images, long n, ModelConfig c)
    {
        using var enc = new OrtGraph(Path.Combine(folder, OnnxContract.EncoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        using var quant = new OrtGraph(Path.Combine(folder, OnnxContract.QuantizerFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        using var dec = new OrtGraph(Path.Combine(folder, OnnxContract.DecoderFile), GraphOptimizationLevel.ORT_ENABLE_ALL);
        var ze = (float[])enc.Run(OnnxContract.Image, images, [n, .. c.ImageShape.Select(d => (long)d)])[OnnxContract.ZE];
        var codes = (long[])quant.Run(OnnxContract.ZE, ze, [n, .. c.LatentShape.Select(d => (long)d)])[OnnxContract.Codes];
        var recon = (float[])dec.Run(OnnxContract.Codes, codes, [n, .. c.CodeShape.Select(d => (long)d)])[OnnxContract.Reconstruction];
        return (ze, codes, recon);
    }

    static double MaxDifference(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second));
}

/// <summary>Writes a float32 .npy (format 1.0), as np.save does, for the round-trip test's codebook.</summary>
static class NpyWriter
{
    public static void WriteFloat32(string path, byte[] littleEndianData, long[] shape)
    {
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        // Magic, version and length take 10 bytes; the header is padded with spaces to a multiple of 64 and ends in a newline.
        header = header.PadRight((10 + header.Length + 1 + 63) / 64 * 64 - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(System.Text.Encoding.Latin1.GetBytes(header));
        stream.Write(littleEndianData);
    }
}
