using VqVae.Checkpoints;
using static TorchSharp.torch;

namespace VqVae.Model.Quantizers;

/// <summary>
/// What a quantizer yields for one batch of encoder outputs z_e [N, h, w, D].
/// </summary>
/// <param name="DecoderInput">z_q's values with the quantizer's gradient estimator applied: what the decoder reads.</param>
/// <param name="ZQ">The quantized latent [N, h, w, D] (the sum of the levels for residual VQ).</param>
/// <param name="Codes">int64 codes: [N, h, w], or [N, h, w, L] for residual VQ.</param>
/// <param name="Loss">The quantizer's own loss terms (none for FSQ).</param>
/// <param name="LevelInputs">What each codebook quantized (z_e, then the residuals): the training-time updates need it.</param>
public sealed record QuantizerOutput(Tensor DecoderInput, Tensor ZQ, Tensor Codes, QuantizerLoss Loss, IReadOnlyList<Tensor> LevelInputs);

/// <summary>
/// A quantizer's loss: the VQ and commitment MSEs (summed over levels), and the weighted terms the
/// training loss adds to the reconstruction MSE, in order: the order of the sum is the order of the
/// floating-point additions, so the VQ model's loss stays recon + vq + β·commitment to the last bit.
/// </summary>
public sealed record QuantizerLoss(Tensor Vq, Tensor Commitment, IReadOnlyList<Tensor> Terms)
{
    public Tensor AddTo(Tensor reconstruction) => Terms.Aggregate(reconstruction, (total, term) => total + term);
}

/// <summary>
/// One quantizer kind: nearest-code search (or rounding), gradient estimator, its own losses and the
/// training-time updates of its codebooks. The model holds one; the training loop calls only
/// <see cref="AfterStep"/> and <see cref="Initialise"/>, which every kind answers in its own way.
/// </summary>
public abstract class Quantizer : nn.Module<Tensor, QuantizerOutput>
{
    protected Quantizer(string name) : base(name) { }

    /// <summary>Codes of z_e [N, h, w, D], as <see cref="nn.Module{T, TResult}.forward"/> chooses them, without losses.</summary>
    public abstract Tensor Codes(Tensor ze);

    /// <summary>The quantized latent [..., D] of codes [...] (or [..., L] for residual VQ).</summary>
    public abstract Tensor Lookup(Tensor codes);

    /// <summary>How many codes each level holds, and how many levels (codebooks) one position has.</summary>
    public abstract int CodebookSize { get; }
    public virtual int Depth => 1;

    /// <summary>Counts of each code per level: one [K] float tensor per level.</summary>
    public IReadOnlyList<Tensor> Histograms(Tensor codes)
    {
        var perLevel = Depth == 1 ? new[] { codes } : codes.unbind(-1);
        return perLevel.Select(level => zeros(CodebookSize, device: level.device)
            .index_add_(0, level.flatten(), ones(level.numel(), device: level.device), 1)).ToArray();
    }

    /// <summary>Whether <see cref="Initialise"/> wants a sample of encoder outputs before the first step (k-means).</summary>
    public virtual bool WantsInitialisation => false;

    /// <summary>Initialises the codebooks from encoder outputs z [M, D] (k-means for VQ); a no-op for kinds without codebooks.</summary>
    public virtual void Initialise(Tensor z, int iterations, Generator generator) { }

    /// <summary>
    /// The updates that are not gradient steps (EMA, dead-code restarts), run after the optimizer's step
    /// on that step's forward pass. Returns how many codes were re-seeded.
    /// </summary>
    /// <remarks>
    /// Why after the step rather than inside forward (as vector-quantize-pytorch does): a code re-seeded
    /// before the step would still be moved by Adam's momentum in that step; here it starts exactly on
    /// the encoder output it was seeded from.
    /// </remarks>
    public virtual int AfterStep(QuantizerOutput output, Generator generator) => 0;

    /// <summary>The latents to picture one per code in codebook.png: [M, D] (a learnt codebook whole; an implicit grid at most <paramref name="max"/>).</summary>
    public abstract Tensor PictureLatents(int max);

    /// <summary>Builds the quantizer a model configuration names, trained as <paramref name="training"/> says.</summary>
    public static Quantizer Create(ModelConfig config, CodebookTraining training) => config.Quantizer switch
    {
        QuantizerKind.Vq => new VectorQuantizer(config.CodebookSize, config.HiddenSize, training),
        QuantizerKind.Rvq => new ResidualVectorQuantizer(config.Depth, config.CodebookSize, config.HiddenSize, training),
        QuantizerKind.Fsq => new FiniteScalarQuantizer(config.Levels!, config.HiddenSize),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Quantizer, "unknown quantizer"),
    };
}
