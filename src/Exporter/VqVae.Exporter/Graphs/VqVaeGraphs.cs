using System.Globalization;
using System.Text.Json.Nodes;
using Onnx;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Exporter.Graphs.Quantizers;
using VqVae.Exporter.Onnx;
using VqVae.Model;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Graphs;

/// <summary>
/// Builds the three graphs of a VQ-VAE. What varies is the encoder and decoder bodies, by architecture
/// (<see cref="EncoderBody"/>, <see cref="DecoderBody"/>), and the quantizer's search and lookup, by kind
/// (<see cref="QuantizerGraph"/>); inputs, outputs and the metadata are shared, so every model exports the same interface.
/// </summary>
public static class VqVaeGraphs
{
    /// <param name="precision">Int8: the body's large products in int8 (<see cref="Int8Layers"/>); inputs and outputs stay float32.</param>
    public static ModelProto Encoder(VqVaeModel model, CheckpointInfo info, GraphPrecision precision = GraphPrecision.Float32)
    {
        var c = model.Config;
        var g = new OnnxGraphBuilder("vqvae_encoder", "VQ-VAE encoder: image → continuous latent z_e (before quantization).");
        var m = new ModuleOnnxMapper(g, model);
        g.AddInput(OnnxContract.Image, DataType.Float, ImageDims(c), $"float32 [N, {c.Channels}, {c.Height}, {c.Width}] pixels in 0..1, NCHW.");
        EncoderBody(m, model.encoder, c, OnnxContract.Image, OnnxContract.ZE, Int8For(m, precision));
        g.AddOutput(OnnxContract.ZE, DataType.Float, LatentDims(c), $"float32 [N, {c.LatentHeight}, {c.LatentWidth}, {c.HiddenSize}] encoder output, NHWC.");
        return Finish(g, info, precision);
    }

    /// <summary>
    /// z_e → codes and z_q, the quantizer's own steps, as its kind's graph (<see cref="QuantizerGraph.For"/>) writes them:
    /// for VQ the nearest code by squared L2, written ‖z‖² − 2·z·Eᵀ + ‖E‖² (one MatMul, as SquaredDistances);
    /// for residual VQ the levels unrolled; for FSQ projection, bound, Round and the mixed-radix code.
    /// </summary>
    public static ModelProto Quantizer(VqVaeModel model, CheckpointInfo info) => Quantizer(QuantizerGraph.For(model), model, info);

    /// <summary>The quantizer graph of <paramref name="quantizer"/>, whose module sits in <paramref name="root"/> (a model, or an imported codebook's holder).</summary>
    public static ModelProto Quantizer(QuantizerGraph quantizer, nn.Module root, CheckpointInfo info)
    {
        var c = info.Model;
        var g = new OnnxGraphBuilder("vqvae_quantizer", quantizer.Doc);
        var m = new ModuleOnnxMapper(g, root);
        g.AddInput(OnnxContract.ZE, DataType.Float, LatentDims(c), $"float32 [N, {c.LatentHeight}, {c.LatentWidth}, {c.HiddenSize}] encoder output, NHWC.");
        quantizer.Quantize(m, OnnxContract.ZE);
        g.AddOutput(OnnxContract.Codes, DataType.Int64, CodeDims(c), quantizer.CodesDoc);
        g.AddOutput(OnnxContract.ZQ, DataType.Float, LatentDims(c), quantizer.ZqDoc);
        // Always float32: the nearest-code search is then exact on whatever encoder produced z_e.
        return Finish(g, info, GraphPrecision.Float32);
    }

    /// <summary>
    /// Codes alone rebuild an image: the codebook lookup is inside the graph. The patch model's float32 decoder
    /// is a table of its codes' outputs (<see cref="DecoderTableGraph"/>) where that table is the smaller.
    /// The table is kept in float32 under --int8 too: a Gather has no product to quantize, and the float32
    /// table is already exact and lighter than the int8 transposed convolution; only a decoder too large
    /// for its table has int8 products.
    /// </summary>
    /// <param name="allowTable">false: the direct graph even where the table fits (tests, and the bench's comparison).</param>
    public static ModelProto Decoder(VqVaeModel model, CheckpointInfo info, GraphPrecision precision = GraphPrecision.Float32, bool allowTable = true)
    {
        var c = model.Config;
        if (allowTable && DecoderTableGraph.Fits(model)) return TableDecoder(model, info);
        var g = new OnnxGraphBuilder("vqvae_decoder", "VQ-VAE decoder: code indices → codebook vectors → reconstructed image.");
        var m = new ModuleOnnxMapper(g, model);
        var quantizer = QuantizerGraph.For(model);
        g.AddInput(OnnxContract.Codes, DataType.Int64, CodeDims(c), quantizer.DecoderCodesDoc);
        var latent = quantizer.Lookup(m, OnnxContract.Codes, "decoder.z_q");   // NHWC
        var logits = DecoderBody(m, model.decoder, c, latent, Int8For(m, precision));
        m.Sigmoid(logits, OnnxContract.Reconstruction);
        g.AddOutput(OnnxContract.Reconstruction, DataType.Float, ImageDims(c), $"float32 [N, {c.Channels}, {c.Height}, {c.Width}] reconstructed pixels in 0..1, NCHW.");
        return Finish(g, info, precision);
    }

    static ModelProto TableDecoder(VqVaeModel model, CheckpointInfo info)
    {
        var c = model.Config;
        var g = new OnnxGraphBuilder("vqvae_decoder", "VQ-VAE decoder: code indices → each code's pixels, from the decoder evaluated on the codebook → reconstructed image.");
        var m = new ModuleOnnxMapper(g, model);
        g.AddInput(OnnxContract.Codes, DataType.Int64, CodeDims(c), QuantizerGraph.For(model).DecoderCodesDoc);
        DecoderTableGraph.Decoder(m, model, OnnxContract.Codes, OnnxContract.Reconstruction);
        g.AddOutput(OnnxContract.Reconstruction, DataType.Float, ImageDims(c), $"float32 [N, {c.Channels}, {c.Height}, {c.Width}] reconstructed pixels in 0..1, NCHW.");
        return Finish(g, info, GraphPrecision.Float32);
    }

    /// <summary>The architecture switch: a new encoder kind adds one case here and one graph file.</summary>
    public static string EncoderBody(ModuleOnnxMapper m, nn.Module<Tensor, Tensor> encoder, ModelConfig config, string image, string output,
        Int8Layers? int8 = null) => encoder switch
        {
            PatchEncoder patch => PatchModelGraph.Encoder(m, patch, config, image, output, int8),
            ConvEncoder conv when int8 is null => ConvModelGraph.Encoder(m, conv, image, output),
            ConvEncoder => throw Int8NotCovered("conv"),
            _ => throw new NotSupportedException($"no ONNX mapping for encoder {encoder.GetType().Name}"),
        };

    /// <param name="latentNhwc">the codebook vectors [N, h, w, D]; each body takes the layout it needs from there.</param>
    public static string DecoderBody(ModuleOnnxMapper m, nn.Module<Tensor, Tensor> decoder, ModelConfig config, string latentNhwc,
        Int8Layers? int8 = null) => decoder switch
        {
            PatchDecoder patch => PatchModelGraph.Decoder(m, patch, config, latentNhwc, int8),
            ConvDecoder conv when int8 is null => ConvModelGraph.Decoder(m, conv, latentNhwc),
            ConvDecoder => throw Int8NotCovered("conv"),
            _ => throw new NotSupportedException($"no ONNX mapping for decoder {decoder.GetType().Name}"),
        };

    static Dim[] ImageDims(ModelConfig c) => Batched(c.ImageShape);

    /// <summary>[N, h, w], or [N, h, w, L] for residual VQ.</summary>
    static Dim[] CodeDims(ModelConfig c) => Batched(c.CodeShape);

    static Dim[] LatentDims(ModelConfig c) => Batched(c.LatentShape);

    static Dim[] Batched(int[] shape) => [Dim.Symbolic(OnnxContract.Batch), .. shape.Select(d => (Dim)d)];

    /// <summary>
    /// ONNX Runtime's CPU ConvInteger takes uint8 weights with one zero point per tensor and runs an
    /// im2col per image; it has no integer ConvTranspose at all. The int8 export covers the patch model,
    /// whose layers are matrix products.
    /// </summary>
    static NotSupportedException Int8NotCovered(string arch) =>
        new($"int8 export covers the patch model (arch patch); this model is arch {arch}");

    static Int8Layers? Int8For(ModuleOnnxMapper m, GraphPrecision precision) =>
        precision == GraphPrecision.Int8 ? new Int8Layers(m) : null;

    static ModelProto Finish(OnnxGraphBuilder g, CheckpointInfo info, GraphPrecision precision)
    {
        foreach (var (key, value) in Metadata(info, precision)) g.AddMetadata(key, value);
        return g.Build("VqVaeMl", typeof(VqVaeGraphs).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    }

    /// <summary>The metadata_props every graph of a model folder carries (an imported graph too).</summary>
    public static IEnumerable<(string Key, string Value)> Metadata(CheckpointInfo info, GraphPrecision precision)
    {
        var c = info.Model;
        // The whole configuration as JSON for consumers that read it, plus single keys for quick look-ups.
        // "precision" is this graph's own arithmetic (an int8 folder's quantizer is float32).
        var json = JsonNode.Parse(info.ToJson())!.AsObject();
        json[OnnxContract.PrecisionField] = precision.MetadataValue();
        yield return (OnnxContract.MetadataKey, json.ToJsonString(ModelConfig.Json));
        yield return (OnnxContract.PrecisionKey, precision.MetadataValue());
        yield return (OnnxContract.ArchKey, KebabCase.Name(c.Arch));
        yield return (OnnxContract.ChannelsKey, c.Channels.ToString(CultureInfo.InvariantCulture));
        yield return (OnnxContract.HeightKey, c.Height.ToString(CultureInfo.InvariantCulture));
        yield return (OnnxContract.WidthKey, c.Width.ToString(CultureInfo.InvariantCulture));
        yield return (OnnxContract.PatchSizeKey, c.PatchSize.ToString(CultureInfo.InvariantCulture));
        yield return (OnnxContract.HiddenSizeKey, c.HiddenSize.ToString(CultureInfo.InvariantCulture));
        yield return (OnnxContract.CodebookSizeKey, c.CodebookSize.ToString(CultureInfo.InvariantCulture));
        yield return (OnnxContract.QuantizerKey, KebabCase.Name(c.Quantizer));
        yield return (OnnxContract.DepthKey, c.Depth.ToString(CultureInfo.InvariantCulture));
        if (c.Levels != null) yield return (OnnxContract.LevelsKey, c.Levels.ToString());
    }
}
