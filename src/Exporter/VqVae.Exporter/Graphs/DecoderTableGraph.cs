using VqVae.Exporter.Onnx;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Exporter.Graphs;

/// <summary>
/// The patch model's decoder as a table: every pixel it can output for each of the K codes, computed at
/// export in float32 by the TorchSharp decoder itself (<see cref="PatchDecoderTable"/>), then one Gather
/// per position and a depth-to-space. A position's output depends on its code alone, so the table holds
/// exactly what the direct decoder computes; the sigmoid, per pixel, is applied to the table once.
/// </summary>
public static class DecoderTableGraph
{
    /// <summary>
    /// Whether the decoder graph is the table: the patch model with one code per position, and a table no
    /// larger than the direct graph's weights (the decoder's and the codebook lookup's). FSQ allows 2^20
    /// codes, whose table would outweigh the decoder many times over; it then keeps the direct graph.
    /// </summary>
    public static bool Fits(VqVaeModel model) =>
        DecoderPathChoice.WhyNoTable(model.Config) is null && TableValues(model.Config) <= DirectWeights(model);

    /// <summary>K · C·p·p floats.</summary>
    public static long TableValues(ModelConfig c) => (long)c.CodebookSize * c.Channels * c.PatchSize * c.PatchSize;

    /// <summary>The direct decoder graph's weights: the decoder's parameters and the quantizer's (the lookup's codebook or projection).</summary>
    public static long DirectWeights(VqVaeModel model) =>
        model.decoder.parameters().Concat(model.quantizer.parameters()).Sum(p => p.numel());

    /// <summary>The initializer holding the table, under the decoder's name.</summary>
    public const string TableName = "decoder.table";

    /// <summary>Each code's pixels in 0..1 [K, p·p·C], (row, column, channel) order: what the graph gathers from.</summary>
    public static Tensor Pixels(VqVaeModel model)
    {
        var c = model.Config;
        using var _ = no_grad();
        return PatchDecoderTable.Logits((PatchDecoder)model.decoder, model.CodeLatents()).sigmoid()
            .reshape(c.CodebookSize, c.PatchSize * c.PatchSize * c.Channels);
    }

    /// <summary>codes [N, h, w] → Gather from the [K, p·p·C] table → [N, h, w, p·p·C] → NCHW → DepthToSpace → pixels [N, C, H, W].</summary>
    public static string Decoder(ModuleOnnxMapper m, VqVaeModel model, string codes, string output)
    {
        long p = model.Config.PatchSize;
        var name = m.NameOf(model.decoder);
        var values = m.Graph.AddInitializer(TableName, Pixels(model),
            "Each code's p×p pixels in 0..1, (row, column, channel) order: the decoder evaluated on the codebook at export.");
        var patches = m.Graph.AddNode("Gather", new[] { values, codes }, $"{name}.patches", Attr.Int("axis", 0));
        var planar = m.Permute(patches, $"{name}.planar_patches", 0, 3, 1, 2);     // [N, p·p·C, h, w]
        // DepthToSpace's default DCR mode reads the channels as (row, column, channel), the table's order.
        return m.Graph.AddNode("DepthToSpace", new[] { planar }, output, Attr.Int("blocksize", p));
    }
}
