using Google.Protobuf;
using TorchSharp;
using VqVae.Exporter.Graphs;
using VqVae.Exporter.Graphs.Quantizers;
using VqVae.Exporter.Onnx;
using VqVae.Import;
using VqVae.Model.Quantizers;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Import;

/// <summary>
/// <c>vqvae-export import</c>: an encoder and a decoder from <c>torch.onnx.export</c> and the codebook as .npy become a
/// model folder of the contract: the encoder with its output as NHWC <c>z_e</c>, VqVaeMl's own quantizer graph built from
/// the codebook, and the decoder with a Gather from the codebook in front so that it takes <c>codes</c>. The shapes
/// (C, H, W, h, w, D, K) come from running a probe batch of 2 and are written as the <c>vqvae</c> metadata.
/// </summary>
public static class GraphImport
{
    const int ProbeBatch = 2;

    public static ExportResult Import(GraphImportOptions o, string outDir, bool force)
    {
        if (o.DecoderOutput == DecoderOutput.Logits && o.PixelRange == PixelRange.MinusOneToOne)
            throw new ArgumentException("--decoder-output logits: the sigmoid gives 0..1, so --pixel-range -1,1 cannot apply to the decoder's output");
        var (codebook, k, d) = ReadCodebook(o.Codebook);
        var encoder = ForeignGraph.Read(o.Encoder);
        var decoder = ForeignGraph.Read(o.Decoder);
        var (c, h, w) = ImageShape(encoder, o.ImageSize);
        var (gridH, gridW) = PrepareEncoder(encoder, o, c, h, w, d);
        PrepareDecoder(decoder, o, codebook, k, d, gridH, gridW, c, h, w);
        var config = new ModelConfig
        {
            Arch = Arch.Imported, Quantizer = QuantizerKind.Vq, Channels = c, Height = h, Width = w, HiddenSize = d, CodebookSize = k,
            GridHeight = gridH, GridWidth = gridW, PatchSize = h % gridH == 0 && w % gridW == 0 && h / gridH == w / gridW ? h / gridH : 0,
        };
        try { config.Validate(); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{o.Encoder}: {e.Message}"); }
        var info = new CheckpointInfo
        {
            Model = config,
            ImportedFrom = [ImportedFile.Of("encoder", o.Encoder), ImportedFile.Of("decoder", o.Decoder), ImportedFile.Of("codebook", o.Codebook)],
        };
        var metadata = VqVaeGraphs.Metadata(info, GraphPrecision.Float32).ToList();
        encoder.SetMetadata(metadata);
        decoder.SetMetadata(metadata);
        var quantizer = QuantizerGraph(codebook, info);
        var graphs = new (string File, byte[] Bytes)[]
        {
            (OnnxContract.EncoderFile, encoder.ToBytes()), (OnnxContract.QuantizerFile, quantizer.ToByteArray()), (OnnxContract.DecoderFile, decoder.ToBytes()),
        };
        CheckChain(graphs[0].Bytes, graphs[1].Bytes, graphs[2].Bytes, o, config);

        OutputFolder.Check(outDir, force, VqVaeOnnxExporter.Tool, [("--encoder", o.Encoder), ("--decoder", o.Decoder), ("--codebook", o.Codebook)]);
        OutputFolder.Write(outDir, VqVaeOnnxExporter.Tool, temp =>
        {
            foreach (var (file, bytes) in graphs)
            {
                using var stream = File.Create(Path.Combine(temp, file));
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
        });
        var full = Path.GetFullPath(outDir);
        return new ExportResult(full, null, graphs.Select(g => VqVaeOnnxExporter.Describe(g.File, Path.Combine(full, g.File), global::Onnx.ModelProto.Parser.ParseFrom(g.Bytes))).ToList());
    }

    static (float[] Values, int K, int D) ReadCodebook(string path)
    {
        var npy = NpyFile.Read(path);
        if (npy.Floats is null || npy.Shape.Length != 2 || npy.Shape[0] < 1 || npy.Shape[1] < 1)
            throw new InvalidDataException($"{path}: {(npy.Floats is null ? "int64" : "float32")} ({string.Join(", ", npy.Shape)}); the codebook is float32 [K, D] (np.save(path, model.codebook.weight.detach().numpy()))");
        if (npy.Floats.Any(v => !float.IsFinite(v))) throw new InvalidDataException($"{path}: holds NaN or infinite values");
        return (npy.Floats, (int)npy.Shape[0], (int)npy.Shape[1]);
    }

    /// <summary>C, H and W from the encoder's declared input; a dynamic H or W needs --image-size.</summary>
    static (int C, int H, int W) ImageShape(ForeignGraph encoder, int? imageSize)
    {
        var (type, dims) = ForeignGraph.Describe(encoder.Input);
        var name = $"{encoder.Path}: input '{encoder.Input.Name}'";
        if (type != DataType.Float) throw new InvalidDataException($"{name} is {type}; import takes float32 images");
        if (dims.Length != 4) throw new InvalidDataException($"{name} has {dims.Length} axes; an image input is [N, C, H, W]");
        if (dims[1] is not (1 or 3)) throw new InvalidDataException($"{name} has {dims[1]?.ToString() ?? "a dynamic number of"} channels; import takes 1 or 3");
        int Side(long? declared, string axis)
        {
            if (declared is { } v && imageSize is { } s && v != s) throw new ArgumentException($"--image-size {s}: {name} is fixed at {axis} {v}");
            return (int)(declared ?? imageSize ?? throw new ArgumentException($"{name} has a dynamic {axis}; give --image-size"));
        }
        return ((int)dims[1]!.Value, Side(dims[2], "height"), Side(dims[3], "width"));
    }

    /// <summary>Probes the encoder as exported for h, w and D, checks D against the codebook, and makes its output NHWC z_e.</summary>
    static (int H, int W) PrepareEncoder(ForeignGraph encoder, GraphImportOptions o, int c, int height, int width, int d)
    {
        if (ForeignGraph.Describe(encoder.Input).Dims[0] is not null || ForeignGraph.Describe(encoder.Output).Dims.FirstOrDefault() is not null)
            encoder.MakeBatchSymbolic(OnnxContract.Batch);
        var (_, shape) = GraphProbe.Run(encoder.ToBytes(), encoder.Path, RandomPixels(c * height * width), [ProbeBatch, c, height, width]);
        if (shape.Length != 4 || shape[0] != ProbeBatch)
            throw new InvalidDataException($"{encoder.Path}: gives [{string.Join(", ", shape)}] for a batch of {ProbeBatch} images; an encoder gives [N, h, w, D] or [N, D, h, w]");
        var (gridH, gridW, latent) = o.EncoderOutput == LatentLayout.Nhwc ? (shape[1], shape[2], shape[3]) : (shape[2], shape[3], shape[1]);
        if (latent != d)
        {
            var other = o.EncoderOutput == LatentLayout.Nhwc ? shape[1] : shape[3];
            var hint = other == d ? $"; its D is on the other axis: give --encoder-output {(o.EncoderOutput == LatentLayout.Nhwc ? "nchw" : "nhwc")}" : "";
            throw new InvalidDataException($"{encoder.Path}: gives [{string.Join(", ", shape)}], whose {(o.EncoderOutput == LatentLayout.Nhwc ? "last" : "second")} axis {latent} as {ImportOptionValues.Name(ImportOptionValues.EncoderOutputs, o.EncoderOutput)} is not the codebook's D = {d}{hint}");
        }
        encoder.ReplaceInput(OnnxContract.Image, DataType.Float, [null, c, height, width], (image, old) =>
        {
            if (o.PixelRange == PixelRange.ZeroToOne) return false;
            // The model was trained on 2x − 1: the graph takes 0..1 like every model folder.
            var two = encoder.AddInitializer("vqvae.import.two", [2f], []);
            var one = encoder.AddInitializer("vqvae.import.one", [1f], []);
            var doubled = encoder.AddFrontNode("Mul", [image, two], encoder.Fresh("vqvae.import.image_x2"));
            encoder.AddFrontNode("Sub", [doubled, one], old);
            return true;
        });
        encoder.ReplaceOutput(OnnxContract.ZE, DataType.Float, [null, gridH, gridW, d], (old, ze) =>
        {
            if (o.EncoderOutput == LatentLayout.Nhwc) return false;
            encoder.AddNode("Transpose", [old], ze, Attr.Ints("perm", 0, 2, 3, 1));
            return true;
        });
        return ((int)gridH, (int)gridW);
    }

    /// <summary>Checks the decoder's declared input against the codebook and the grid, and puts the lookup in front and the contract's output after.</summary>
    static void PrepareDecoder(ForeignGraph decoder, GraphImportOptions o, float[] codebook, int k, int d, int h, int w, int c, int height, int width)
    {
        var (type, dims) = ForeignGraph.Describe(decoder.Input);
        long?[] expected = o.DecoderInput switch
        {
            DecoderInput.ZQNchw => [null, d, h, w],
            DecoderInput.ZQNhwc => [null, h, w, d],
            _ => [null, h, w],
        };
        var expectedType = o.DecoderInput == DecoderInput.Codes ? DataType.Int64 : DataType.Float;
        var layout = $"--decoder-input {ImportOptionValues.Name(ImportOptionValues.DecoderInputs, o.DecoderInput)}";
        if (type != expectedType) throw new InvalidDataException($"{decoder.Path}: input '{decoder.Input.Name}' is {type}; {layout} means {expectedType}");
        bool agrees = dims.Length == expected.Length && dims.Zip(expected).Skip(1).All(p => p.First is null || p.First == p.Second);
        if (!agrees)
            throw new InvalidDataException($"{decoder.Path}: input '{decoder.Input.Name}' is [{Dims(dims)}]; {layout} with the encoder's {h}x{w} grid and the codebook's D = {d} means [{Dims(expected)}]");
        if (dims[0] is not null || ForeignGraph.Describe(decoder.Output).Dims.FirstOrDefault() is not null)
            decoder.MakeBatchSymbolic(OnnxContract.Batch);
        decoder.ReplaceInput(OnnxContract.Codes, DataType.Int64, [null, h, w], (codes, old) =>
        {
            if (o.DecoderInput == DecoderInput.Codes) return false;
            var table = decoder.AddInitializer("vqvae.import.codebook", codebook, [k, d]);
            if (o.DecoderInput == DecoderInput.ZQNhwc) decoder.AddFrontNode("Gather", [table, codes], old, Attr.Int("axis", 0));
            else
            {
                var zq = decoder.AddFrontNode("Gather", [table, codes], decoder.Fresh("vqvae.import.z_q"), Attr.Int("axis", 0));
                decoder.AddFrontNode("Transpose", [zq], old, Attr.Ints("perm", 0, 3, 1, 2));
            }
            return true;
        });
        decoder.ReplaceOutput(OnnxContract.Reconstruction, DataType.Float, [null, c, height, width], (old, reconstruction) =>
        {
            if (o.DecoderOutput == DecoderOutput.Logits) { decoder.AddNode("Sigmoid", [old], reconstruction); return true; }
            if (o.PixelRange == PixelRange.ZeroToOne) return false;
            // −1..1 back to 0..1: (y + 1) / 2.
            var one = decoder.AddInitializer("vqvae.import.one", [1f], []);
            var half = decoder.AddInitializer("vqvae.import.half", [0.5f], []);
            var shifted = decoder.AddNode("Add", [old, one], decoder.Fresh("vqvae.import.shifted"));
            decoder.AddNode("Mul", [shifted, half], reconstruction);
            return true;
        });
    }

    /// <summary>VqVaeMl's own nearest-code graph over the imported codebook.</summary>
    static global::Onnx.ModelProto QuantizerGraph(float[] codebook, CheckpointInfo info)
    {
        var c = info.Model;
        using var holder = new CodebookHolder(new VectorQuantizer(c.CodebookSize, c.HiddenSize));
        using (torch.NewDisposeScope())
            holder.Quantizer.Assign(torch.tensor(codebook, [c.CodebookSize, c.HiddenSize]));
        return VqVaeGraphs.Quantizer(new VectorQuantizerGraph(holder.Quantizer, c), holder, info);
    }

    /// <summary>The three written graphs run as a chain on a probe batch and give the contract's shapes; the decoder's pixels lie in 0..1.</summary>
    static void CheckChain(byte[] encoder, byte[] quantizer, byte[] decoder, GraphImportOptions o, ModelConfig c)
    {
        var (ze, zeShape) = GraphProbe.Run(encoder, o.Encoder, RandomPixels(c.PixelCount), [ProbeBatch, .. c.ImageShape.Select(x => (long)x)]);
        if (!zeShape.SequenceEqual([ProbeBatch, .. c.LatentShape.Select(x => (long)x)]))
            throw new InvalidDataException($"{o.Encoder}: gives [{string.Join(", ", zeShape)}] after import, not [{ProbeBatch}, {string.Join(", ", c.LatentShape)}]");
        var codes = GraphProbe.Codes(quantizer, ze, zeShape);
        var (pixels, shape) = GraphProbe.Run(decoder, o.Decoder, codes, [ProbeBatch, c.LatentHeight, c.LatentWidth]);
        if (!shape.SequenceEqual([ProbeBatch, .. c.ImageShape.Select(x => (long)x)]))
            throw new InvalidDataException($"{o.Decoder}: gives [{string.Join(", ", shape)}] for codes [{ProbeBatch}, {c.LatentHeight}, {c.LatentWidth}]; the encoder takes images [{string.Join(", ", c.ImageShape)}]");
        float min = pixels.Min(), max = pixels.Max();
        if (!(min >= 0 && max <= 1))
            throw new InvalidDataException($"{o.Decoder}: gives values from {min:G4} to {max:G4}, outside 0..1"
                + (o.DecoderOutput == DecoderOutput.Sigmoid ? $"; if it ends in logits, give --decoder-output logits{(o.PixelRange == PixelRange.ZeroToOne ? ", if in -1..1, --pixel-range -1,1" : "")}" : ""));
    }

    /// <summary>Seeded uniform pixels in 0..1 for a probe batch: the same probe on every run.</summary>
    static float[] RandomPixels(int perImage)
    {
        var random = new Random(0);
        return Enumerable.Range(0, ProbeBatch * perImage).Select(_ => random.NextSingle()).ToArray();
    }

    static string Dims(IEnumerable<long?> dims) => string.Join(", ", dims.Select(x => x?.ToString() ?? "N"));

    /// <summary>Names the imported codebook "codebook", as in a trained model, so its initializer is codebook.weight.</summary>
    sealed class CodebookHolder : torch.nn.Module
    {
        public VectorQuantizer Quantizer { get; }

        public CodebookHolder(VectorQuantizer quantizer) : base("imported")
        {
            Quantizer = quantizer;
            register_module("codebook", quantizer);
        }
    }
}
