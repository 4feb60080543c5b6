namespace VqVae.Common.Tests;

/// <summary>Each quantizer kind's one descriptor: found for every kind, and its description, shapes and abilities.</summary>
public class QuantizerDescriptorTests
{
    static readonly ModelConfig Vq = new() { Height = 16, Width = 12, PatchSize = 4, HiddenSize = 6, CodebookSize = 8 };
    static readonly ModelConfig Rvq = Vq with { Quantizer = QuantizerKind.Rvq, Depth = 3 };
    static readonly ModelConfig Fsq = Vq with { Quantizer = QuantizerKind.Fsq, Levels = FsqLevels.Parse("4,3,2"), CodebookSize = 24 };

    [Fact]
    public void Every_kind_has_exactly_one_descriptor_of_that_kind()
    {
        foreach (var kind in Enum.GetValues<QuantizerKind>())
            Assert.Equal(kind, Assert.Single(QuantizerDescriptor.All, d => d.Kind == kind).Kind);
        Assert.Contains("quantizer 7 is not a known quantizer", Assert.Throws<InvalidDataException>(() => QuantizerDescriptor.For((QuantizerKind)7)).Message);
    }

    [Fact]
    public void Each_kind_is_described_in_one_wording()
    {
        Assert.Equal("vq 8 codes", Vq.QuantizerDescriptor.Describe(Vq));
        Assert.Equal("rvq 3 × 8 codes", Rvq.QuantizerDescriptor.Describe(Rvq));
        Assert.Equal("fsq 4,3,2 (24 codes)", Fsq.QuantizerDescriptor.Describe(Fsq));
    }

    [Fact]
    public void Codes_and_bits_follow_the_codes_per_position()
    {
        Assert.Equal([4, 3], Vq.CodeShape);
        Assert.Equal([4, 3, 3], Rvq.CodeShape);
        Assert.Equal([4, 3], Fsq.CodeShape);
        // 12 positions × codes per position × log2 of the codes each can take.
        Assert.Equal(12 * 3.0, Vq.BitsPerImage, 9);
        Assert.Equal(12 * 3 * 3.0, Rvq.BitsPerImage, 9);
        Assert.Equal(12 * Math.Log2(24), Fsq.BitsPerImage, 9);
    }

    [Fact]
    public void Only_learnt_codebooks_train_and_weigh_and_only_one_code_per_position_has_a_prior()
    {
        Assert.Equal((true, true, false), (Vq.QuantizerDescriptor.HasTrainableCodebook, Rvq.QuantizerDescriptor.HasTrainableCodebook, Fsq.QuantizerDescriptor.HasTrainableCodebook));
        Assert.Equal((8L * 6, 8L * 6 * 3, 0L), (Vq.QuantizerDescriptor.CodebookWeights(Vq), Rvq.QuantizerDescriptor.CodebookWeights(Rvq), Fsq.QuantizerDescriptor.CodebookWeights(Fsq)));
        Assert.Equal((true, false, true), (Vq.QuantizerDescriptor.PriorCanModel, Rvq.QuantizerDescriptor.PriorCanModel, Fsq.QuantizerDescriptor.PriorCanModel));
    }

    [Theory]
    [InlineData(QuantizerKind.Vq, "4,4", null, null, "--levels 4,4: only --quantizer fsq has levels")]
    [InlineData(QuantizerKind.Vq, null, 2, null, "--depth 2: only --quantizer rvq has a depth")]
    [InlineData(QuantizerKind.Rvq, null, 0, null, "--depth 0: must be at least 1")]
    [InlineData(QuantizerKind.Fsq, null, null, null, "--quantizer fsq: needs --levels (e.g. 8,5,5,5)")]
    [InlineData(QuantizerKind.Fsq, "8,1", null, null, "--levels 8,1: each level must be at least 2")]
    [InlineData(QuantizerKind.Fsq, "4,4", null, 10, "--codebook-size 10: fsq's codebook is its grid, 16 codes for --levels 4,4")]
    public void Options_a_kind_cannot_take_are_named(QuantizerKind kind, string? levels, int? depth, int? codebookSize, string message)
    {
        var refused = Assert.Throws<ArgumentException>(() => QuantizerDescriptor.For(kind).FromOptions(Vq, new QuantizerOptions(levels, depth, codebookSize)));
        Assert.StartsWith(message, refused.Message);
    }

    [Fact]
    public void Options_shape_a_valid_model_of_each_kind()
    {
        var fsq = QuantizerDescriptor.For(QuantizerKind.Fsq).FromOptions(Rvq, new QuantizerOptions("4,3,2", null, null));
        Assert.Equal(Fsq, fsq);
        var rvq = QuantizerDescriptor.For(QuantizerKind.Rvq).FromOptions(Fsq, new QuantizerOptions(null, 3, null));
        Assert.Equal(Rvq with { CodebookSize = 24 }, rvq);
        var vq = QuantizerDescriptor.For(QuantizerKind.Vq).FromOptions(Rvq, new QuantizerOptions(null, null, null));
        Assert.Equal(Vq, vq);
        foreach (var model in new[] { fsq, rvq, vq }) model.Validate();
    }
}
