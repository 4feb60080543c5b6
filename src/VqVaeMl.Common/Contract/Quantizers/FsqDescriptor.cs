namespace VqVaeMl.Common;

/// <summary>
/// Finite scalar quantization: d projected channels each rounded to a few levels; the codebook is their
/// grid, fixed rather than learnt, and one code per position numbers a grid point.
/// </summary>
public sealed class FsqDescriptor : QuantizerDescriptor
{
    /// <summary>The largest grid: its codes are decoded through a table of that many rows.</summary>
    public const long MaxCodes = 1 << 20;

    public override QuantizerKind Kind => QuantizerKind.Fsq;

    public override string Describe(ModelConfig c) => $"fsq {c.Levels} ({c.CodebookSize} codes)";

    /// <summary>Its grid rounds with its own straight-through gradient: there is no codebook to move or restart.</summary>
    public override bool HasTrainableCodebook => false;

    /// <summary>The grid is not a weight matrix: its size is bounded by <see cref="MaxCodes"/> instead.</summary>
    public override long CodebookWeights(ModelConfig c) => 0;

    public override void Validate(ModelConfig c)
    {
        NoDepth(c);
        var levels = c.Levels;
        if (levels == null || levels.Count == 0) throw new InvalidDataException("the fsq quantizer needs its levels (e.g. 8,5,5,5)");
        if (LevelBelowTwo(levels)) throw new InvalidDataException($"levels {levels}: {LevelBelowTwoProblem}");
        if (levels.CodeCount > MaxCodes)
            throw new InvalidDataException($"levels {levels}: {levels.CodeCount} codes, more than the {MaxCodes} one code per position can index here");
        if (c.CodebookSize != levels.CodeCount)
            throw new InvalidDataException($"codebook size {c.CodebookSize} does not match levels {levels} ({levels.CodeCount} codes)");
    }

    public override ModelConfig FromOptions(ModelConfig model, QuantizerOptions options)
    {
        NoDepth(options);
        if (options.Levels == null) throw new ArgumentException("--quantizer fsq: needs --levels (e.g. 8,5,5,5)");
        var levels = FsqLevels.Parse(options.Levels);
        if (LevelBelowTwo(levels)) throw new ArgumentException($"--levels {options.Levels}: {LevelBelowTwoProblem}");
        if (levels.CodeCount > MaxCodes)
            throw new ArgumentException($"--levels {options.Levels}: the levels multiply to more than the {MaxCodes} codes allowed");
        if (options.CodebookSize != null && options.CodebookSize != levels.CodeCount)
            throw new ArgumentException($"--codebook-size {options.CodebookSize}: fsq's codebook is its grid, {levels.CodeCount} codes for --levels {options.Levels}; leave --codebook-size out");
        return model with { Quantizer = Kind, Levels = levels, CodebookSize = (int)levels.CodeCount, Depth = 1 };
    }

    static bool LevelBelowTwo(FsqLevels levels) => levels.Any(level => level < 2);

    const string LevelBelowTwoProblem = "each level must be at least 2 (a level of 1 holds no information)";
}
