namespace VqVaeMl.Common;

/// <summary>Vector quantization: one codebook of K learnt vectors, one code per position.</summary>
public sealed class VqDescriptor : QuantizerDescriptor
{
    public override QuantizerKind Kind => QuantizerKind.Vq;

    public override string Describe(ModelConfig c) => $"vq {c.CodebookSize} codes";

    public override void Validate(ModelConfig c)
    {
        NoDepth(c);
        NoLevels(c);
    }

    public override ModelConfig FromOptions(ModelConfig model, QuantizerOptions options)
    {
        NoLevels(options);
        NoDepth(options);
        return model with { Quantizer = Kind, Depth = 1, Levels = null };
    }
}
