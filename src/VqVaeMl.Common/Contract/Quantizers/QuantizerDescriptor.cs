namespace VqVaeMl.Common;

/// <summary>
/// What the toolkit knows about one quantizer kind besides its Torch module and its ONNX graph: the rules
/// a configuration of it must meet, the command-line options that set it, its one description, the shape
/// of its codes and what it can be used with. One subclass per kind; <see cref="For"/> is the only place a
/// kind is looked up, so a new quantizer adds a descriptor here, a module and a graph file, and no switch.
/// </summary>
public abstract class QuantizerDescriptor
{
    public abstract QuantizerKind Kind { get; }

    /// <summary>The quantizer of a configuration as the console and the report name it, e.g. "vq 128 codes".</summary>
    public abstract string Describe(ModelConfig c);

    /// <summary>How many codes one latent position holds.</summary>
    public virtual int CodesPerPosition(ModelConfig c) => 1;

    /// <summary>The shape of one image's codes, the codes tensor without its batch axis: [h, w], or [h, w, L] with L codes per position.</summary>
    public int[] CodeShape(ModelConfig c) =>
        CodesPerPosition(c) == 1 ? [c.LatentHeight, c.LatentWidth] : [c.LatentHeight, c.LatentWidth, CodesPerPosition(c)];

    /// <summary>What one image's code map can say: positions × codes per position × log2 of the codes each can take.</summary>
    public double BitsPerImage(ModelConfig c) => (double)c.LatentHeight * c.LatentWidth * CodesPerPosition(c) * Math.Log2(c.CodebookSize);

    /// <summary>Whether it learns codebook vectors, so that the codebook options (<see cref="CodebookTraining"/>) apply.</summary>
    public virtual bool HasTrainableCodebook => true;

    /// <summary>The weights of its codebooks (K·D each); an implicit grid has none.</summary>
    public virtual long CodebookWeights(ModelConfig c) => (long)c.CodebookSize * c.HiddenSize * c.Depth;

    /// <summary>Whether the prior, which draws one code per position, can model its code maps.</summary>
    public virtual bool PriorCanModel => true;

    /// <summary>Throws with the problem named when the configuration's quantizer fields do not make this kind.</summary>
    public abstract void Validate(ModelConfig c);

    /// <summary>
    /// The model with this quantizer, shaped by the command-line options; throws <see cref="ArgumentException"/>
    /// naming the option this kind has no use for or cannot take.
    /// </summary>
    public abstract ModelConfig FromOptions(ModelConfig model, QuantizerOptions options);

    public static readonly IReadOnlyList<QuantizerDescriptor> All = [new VqDescriptor(), new FsqDescriptor(), new RvqDescriptor()];

    public static QuantizerDescriptor For(QuantizerKind kind) =>
        All.FirstOrDefault(d => d.Kind == kind) ?? throw new InvalidDataException($"quantizer {(int)kind} is not a known quantizer");

    protected static void NoDepth(ModelConfig c)
    {
        if (c.Depth > 1) throw new InvalidDataException($"depth {c.Depth}: only the rvq quantizer has more than one codebook");
    }

    protected static void NoLevels(ModelConfig c)
    {
        if (c.Levels != null) throw new InvalidDataException($"levels {c.Levels}: only the fsq quantizer has levels");
    }

    protected static void NoLevels(QuantizerOptions o)
    {
        if (o.Levels != null) throw new ArgumentException($"--levels {o.Levels}: only --quantizer fsq has levels");
    }

    protected static void NoDepth(QuantizerOptions o)
    {
        if (o.Depth != null) throw new ArgumentException($"--depth {o.Depth}: only --quantizer rvq has a depth");
    }
}

/// <summary>The quantizer's command-line options as given (null when left out).</summary>
/// <param name="Levels">--levels, as typed.</param>
/// <param name="CodebookSize">--codebook-size, which a kind whose codebook is implied may refuse.</param>
public sealed record QuantizerOptions(string? Levels, int? Depth, int? CodebookSize);
