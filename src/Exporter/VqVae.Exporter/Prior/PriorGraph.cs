using System.Globalization;
using Onnx;
using VqVae.Checkpoints;
using VqVae.Exporter.Onnx;
using VqVae.Prior;
using DataType = Onnx.TensorProto.Types.DataType;

namespace VqVae.Exporter.Prior;

/// <summary>
/// prior.onnx: the gated PixelCNN as default-domain operators — Gather for the code embedding (and the
/// class biases), Conv with masked weights for the masked convolutions, Split/Tanh/Sigmoid/Mul for the
/// gates. codes int64 [N, h, w] (+ label int64 [N]) → logits float32 [N, K, h, w].
/// </summary>
public static class PriorGraph
{
    public static ModelProto Build(GatedPixelCnn model, PriorInfo info, CheckpointInfo? vqvae)
    {
        var c = model.Config;
        var g = new OnnxGraphBuilder("vqvae_prior",
            "Gated PixelCNN prior over VQ-VAE code maps: the logits of each code at each position given the codes before it in raster order.");
        var m = new ModuleOnnxMapper(g, model);
        var batch = Dim.Symbolic(OnnxContract.Batch);
        g.AddInput(OnnxContract.Codes, DataType.Int64, new Dim[] { batch, c.Height, c.Width },
            $"int64 [N, {c.Height}, {c.Width}] codebook indices in 0..{c.CodebookSize - 1}; the logits at a position read only the codes before it in raster order.");
        string? label = c.IsConditional
            ? g.AddInput(OnnxContract.Label, DataType.Int64, new Dim[] { batch }, $"int64 [N] class in 0..{c.ClassCount - 1} of each code map.")
            : null;

        var embedded = m.Embedding(model.embedding, OnnxContract.Codes);                        // [N, h, w, C]
        var x = m.Permute(embedded, "embedding.nchw", 0, 3, 1, 2);
        var (v, h) = (x, x);
        foreach (var block in model.blocks) (v, h) = Block(m, block, v, h, label);
        var hidden = m.Conv2d(model.hidden, m.Relu(h, "head.relu_in"));
        m.Conv2d(model.output, m.Relu(hidden, "head.relu_hidden"), OnnxContract.Logits);
        g.AddOutput(OnnxContract.Logits, DataType.Float, new Dim[] { batch, c.CodebookSize, c.Height, c.Width },
            $"float32 [N, {c.CodebookSize}, {c.Height}, {c.Width}] unnormalised log-probabilities of each code at each position.");

        g.AddMetadata(OnnxContract.PriorMetadataKey, info.ToJson());
        // The VQ-VAE whose codes it models, so a sampler can check it against the decoder beside it.
        if (vqvae is not null) g.AddMetadata(OnnxContract.MetadataKey, vqvae.ToJson());
        g.AddMetadata(OnnxContract.CodebookSizeKey, c.CodebookSize.ToString(CultureInfo.InvariantCulture));
        return g.Build("VqVaeMl", typeof(PriorGraph).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
    }

    static (string V, string H) Block(ModuleOnnxMapper m, GatedBlock block, string v, string h, string? label)
    {
        var g = m.Graph;
        var name = m.NameOf(block);
        var vf = m.MaskedConv2d(block.vertical.conv, block.vertical.Mask(TorchSharp.torch.CPU), v);
        var hc = m.MaskedConv2d(block.horizontal.conv, block.horizontal.Mask(TorchSharp.torch.CPU), h);
        var link = m.Conv2d(block.verticalToHorizontal, vf);
        var hf = g.AddNode("Add", new[] { hc, link }, $"{name}.horizontal_sum");
        if (block.classBias is not null && label is not null)
        {
            var rows = m.Embedding(block.classBias, label);                                       // [N, 2C]
            var bias = m.Reshape(rows, $"{name}.class_bias", -1, block.classBias.weight!.shape[1], 1, 1);
            vf = g.AddNode("Add", new[] { vf, bias }, $"{name}.vertical_conditioned");
            hf = g.AddNode("Add", new[] { hf, bias }, $"{name}.horizontal_conditioned");
        }
        var vOut = Gate(g, vf, $"{name}.vertical_gate");
        var hOut = m.Conv2d(block.horizontalOut, Gate(g, hf, $"{name}.horizontal_gate"));
        if (!block.IsFirst) hOut = g.AddNode("Add", new[] { hOut, h }, $"{name}.residual");
        return (vOut, hOut);
    }

    /// <summary>tanh(first half of the channels) · sigmoid(second half), as GatedBlock.Gate.</summary>
    static string Gate(OnnxGraphBuilder g, string x, string name)
    {
        var halves = g.AddNode("Split", new[] { x }, new[] { $"{name}.a", $"{name}.b" }, Attr.Int("axis", 1));
        var tanh = g.AddNode("Tanh", new[] { halves[0] }, $"{name}.tanh");
        var sigmoid = g.AddNode("Sigmoid", new[] { halves[1] }, $"{name}.sigmoid");
        return g.AddNode("Mul", new[] { tanh, sigmoid }, name);
    }
}
