using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Prior;

/// <summary>
/// A convolution whose kernel is multiplied by a fixed 0/1 mask on every forward pass, so each output
/// sees only the inputs the mask lets through. Vertical: a k×k kernel that sees the rows above the
/// centre (and the centre row itself when <c>includeCentre</c>). Horizontal: a 1×k kernel that sees the
/// columns left of the centre (and the centre itself when <c>includeCentre</c>). Padding keeps h×w.
/// </summary>
public sealed class MaskedConv : Module<Tensor, Tensor>
{
    public readonly Conv2d conv;
    readonly float[] maskValues;
    readonly long[] maskShape;

    public MaskedConv(string name, long inChannels, long outChannels, int kernelSize, bool vertical, bool includeCentre) : base(name)
    {
        int centre = kernelSize / 2;
        long rows = vertical ? kernelSize : 1;
        conv = Conv2d(inChannels, outChannels, kernel_size: (rows, kernelSize), padding: (vertical ? centre : 0, centre));
        maskShape = new long[] { 1, 1, rows, kernelSize };
        maskValues = new float[rows * kernelSize];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < kernelSize; c++)
            {
                bool open = vertical
                    ? r < centre || (includeCentre && r == centre)
                    : c < centre || (includeCentre && c == centre);
                maskValues[r * kernelSize + c] = open ? 1f : 0f;
            }
        RegisterComponents();
    }

    /// <summary>The mask [1, 1, kh, kw], broadcast over output and input channels.</summary>
    public Tensor Mask(Device device) => tensor(maskValues, maskShape, device: device);

    /// <summary>The kernel as the convolution uses it: weight · mask.</summary>
    public Tensor MaskedWeight() => conv.weight! * Mask(conv.weight!.device);

    public override Tensor forward(Tensor x) =>
        functional.conv2d(x, MaskedWeight(), conv.bias, padding: conv.padding);
}

/// <summary>
/// One gated layer (van den Oord et al., 2016): a vertical stack that sees every row above, a horizontal
/// stack that sees the row so far and takes the vertical stack's features through a 1×1 link, each
/// activated by tanh(a)·sigmoid(b), an optional class bias on both, and a residual on the horizontal
/// stack. The first layer sees strictly earlier positions only (mask A, no residual); later layers
/// also see the centre, which by then holds only earlier information (mask B).
/// </summary>
public sealed class GatedBlock : nn.Module
{
    public readonly MaskedConv vertical;
    public readonly MaskedConv horizontal;
    public readonly Conv2d verticalToHorizontal;
    public readonly Conv2d horizontalOut;
    public readonly Embedding? classBias;
    public bool IsFirst { get; }

    public GatedBlock(string name, PriorConfig config, bool first) : base(name)
    {
        IsFirst = first;
        long c = config.Channels;
        vertical = new MaskedConv("vertical", c, 2 * c, config.KernelSize, vertical: true, includeCentre: !first);
        horizontal = new MaskedConv("horizontal", c, 2 * c, config.KernelSize, vertical: false, includeCentre: !first);
        verticalToHorizontal = Conv2d(2 * c, 2 * c, kernel_size: 1);
        horizontalOut = Conv2d(c, c, kernel_size: 1);
        if (config.IsConditional) classBias = Embedding(config.ClassCount, 2 * c);
        RegisterComponents();
    }

    public (Tensor Vertical, Tensor Horizontal) Forward(Tensor v, Tensor h, Tensor? label)
    {
        var vf = vertical.forward(v);
        var hf = horizontal.forward(h) + verticalToHorizontal.forward(vf);
        if (classBias is not null)
        {
            if (label is null) throw new ArgumentException("a class-conditional prior needs a label for every code map");
            var bias = classBias.forward(label).unsqueeze(-1).unsqueeze(-1);   // [N, 2C, 1, 1]
            vf = vf + bias;
            hf = hf + bias;
        }
        var hOut = horizontalOut.forward(Gate(hf));
        return (Gate(vf), IsFirst ? hOut : hOut + h);
    }

    /// <summary>tanh of the first half of the channels times sigmoid of the second half.</summary>
    public static Tensor Gate(Tensor x)
    {
        var halves = x.chunk(2, 1);
        return functional.tanh(halves[0]) * functional.sigmoid(halves[1]);
    }
}

/// <summary>
/// A gated PixelCNN over a VQ-VAE's code maps: code embedding → gated layers → ReLU, 1×1 conv, ReLU,
/// 1×1 conv to K logits per position. The logits at (i, j) depend only on the codes before (i, j) in
/// raster order (and the class label), so sampling position by position draws from the model exactly.
/// </summary>
public sealed class GatedPixelCnn : nn.Module
{
    public readonly Embedding embedding;
    public readonly ModuleList<GatedBlock> blocks = new();
    public readonly Conv2d hidden;
    public readonly Conv2d output;

    public PriorConfig Config { get; }

    public GatedPixelCnn(PriorConfig config) : base("GatedPixelCNN")
    {
        config.Validate();
        Config = config;
        embedding = Embedding(config.CodebookSize, config.Channels);
        for (int i = 0; i < config.Layers; i++) blocks.Add(new GatedBlock($"block{i}", config, first: i == 0));
        hidden = Conv2d(config.Channels, config.Channels, kernel_size: 1);
        output = Conv2d(config.Channels, config.CodebookSize, kernel_size: 1);
        RegisterComponents();
    }

    /// <summary>codes int64 [N, h, w] (and labels int64 [N] when conditional) → logits [N, K, h, w].</summary>
    public Tensor Forward(Tensor codes, Tensor? label = null) => ForwardEmbedded(Embed(codes), label);

    /// <summary>codes [N, h, w] → embedded codes [N, C, h, w].</summary>
    public Tensor Embed(Tensor codes) => embedding.forward(codes).permute(0, 3, 1, 2);

    /// <summary>The network after the embedding, on a float input [N, C, h, w] (what gradients are taken against).</summary>
    public Tensor ForwardEmbedded(Tensor x, Tensor? label = null)
    {
        var (v, h) = (x, x);
        foreach (var block in blocks) (v, h) = block.Forward(v, h, label);
        return output.forward(functional.relu(hidden.forward(functional.relu(h))));
    }
}
