namespace VqVaeMl.Common;

/// <summary>Residual vector quantization: L codebooks of K learnt vectors, so L codes per position.</summary>
public sealed class RvqDescriptor : QuantizerDescriptor
{
    public override QuantizerKind Kind => QuantizerKind.Rvq;

    public override string Describe(ModelConfig c) => $"rvq {c.Depth} × {c.CodebookSize} codes";

    public override int CodesPerPosition(ModelConfig c) => c.Depth;

    /// <summary>The prior draws one code per position, and a position here holds <see cref="ModelConfig.Depth"/>.</summary>
    public override bool PriorCanModel => false;

    public override void Validate(ModelConfig c) => NoLevels(c);

    public override ModelConfig FromOptions(ModelConfig model, QuantizerOptions options)
    {
        NoLevels(options);
        if (options.Depth < 1) throw new ArgumentException($"--depth {options.Depth}: must be at least 1");
        return model with { Quantizer = Kind, Depth = options.Depth ?? 1, Levels = null };
    }
}
