namespace VqVae.Model;

/// <summary>Which decoder path a training run takes: the table of K codes where it applies and pays, else the direct decoder.</summary>
public static class DecoderPathChoice
{
    /// <summary>
    /// Auto takes the table when K is at most a quarter of a batch's positions: building the table and the
    /// Jacobians costs about two decoder evaluations per code, against one per position directly.
    /// </summary>
    public const int PositionsPerCode = 4;

    /// <summary>The path <paramref name="requested"/> means for this model and batch size: table or direct; a table where it cannot apply is refused.</summary>
    public static DecoderPath Resolve(DecoderPath requested, ModelConfig model, int batchSize)
    {
        string? reason = WhyNoTable(model);
        if (requested == DecoderPath.Table && reason is not null)
            throw new ArgumentException($"--decoder-path table: {reason}; use auto or direct");
        if (requested != DecoderPath.Auto) return requested;
        long positions = (long)batchSize * model.LatentHeight * model.LatentWidth;
        return reason is null && (long)model.CodebookSize * PositionsPerCode <= positions ? DecoderPath.Table : DecoderPath.Direct;
    }

    /// <summary>Why a model's decoder cannot be a table of its codes, or null when it can.</summary>
    public static string? WhyNoTable(ModelConfig model) =>
        model.Arch != Arch.Patch ? "the conv model's decoder mixes neighbouring positions, so its output is not a function of one code"
        : model.Quantizer == QuantizerKind.Rvq ? "residual VQ sums several codes per position, so a position's latent is not one of K"
        : null;
}
