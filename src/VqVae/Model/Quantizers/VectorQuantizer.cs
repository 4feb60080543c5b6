using TorchSharp;
using TorchSharp.Modules;
using VqVae.Checkpoints;
using static TorchSharp.torch;

namespace VqVae.Model.Quantizers;

/// <summary>
/// Vector quantization: K code vectors of width D (the reference post's nn.Embedding), the nearest-code
/// search, the gradient estimator, the VQ and commitment losses, and the codebook's training-time
/// updates — EMA, k-means initialisation, dead-code restarts — with their state as buffers, so it is
/// saved with the weights (as codebook.weight, codebook.ema_cluster_size, …).
/// </summary>
public sealed class VectorQuantizer : Quantizer
{
    public readonly Parameter weight;
    // EMA statistics (van den Oord et al. 2017, appendix): smoothed cluster sizes and sums of assigned vectors.
    readonly Tensor ema_cluster_size;
    readonly Tensor ema_embed_sum;
    // Smoothed number of vectors each code received per batch, for dead-code detection in any update mode.
    readonly Tensor usage;

    /// <summary>How the codebook is trained (gradient estimator, β, EMA, restarts); not saved, not part of the model's shape.</summary>
    public CodebookTraining Training { get; }

    public VectorQuantizer(int codebookSize, int hiddenSize, CodebookTraining? training = null) : base("codebook")
    {
        Training = training ?? new CodebookTraining();
        // The reference post's init: uniform(−1/K, 1/K).
        weight = new Parameter(empty(codebookSize, hiddenSize));
        using (no_grad()) weight.uniform_(-1.0 / codebookSize, 1.0 / codebookSize);
        ema_cluster_size = ones(codebookSize);
        ema_embed_sum = weight.detach().clone();
        // Negative until the first batch is counted: see RestartDeadCodes.
        usage = full(codebookSize, -1.0f);
        // With EMA updates the codebook is not a gradient-trained parameter.
        if (Training.Update == CodebookUpdate.Ema) weight.requires_grad = false;
        RegisterComponents();
    }

    public override int CodebookSize => (int)weight.shape[0];
    int HiddenSize => (int)weight.shape[1];

    /// <summary>Index of the nearest code for each row of z [M, D].</summary>
    public Tensor Nearest(Tensor z) => SquaredDistances.Nearest(z, weight);

    public override Tensor Codes(Tensor ze) =>
        Nearest(ze.reshape(-1, HiddenSize)).reshape(ze.shape[..^1]);

    /// <summary>The code vectors for indices of any shape: [...] → [..., D].</summary>
    public override Tensor Lookup(Tensor codes)
    {
        var shape = codes.shape.Append(weight.shape[1]).ToArray();
        return weight.index_select(0, codes.flatten()).reshape(shape);
    }

    public override QuantizerOutput forward(Tensor ze)
    {
        var codes = Codes(ze);
        var zq = Lookup(codes);
        return new QuantizerOutput(GradientEstimators.Apply(Training.Estimator, ze, zq), zq, codes, Losses(ze, zq), new[] { ze });
    }

    /// <summary>
    /// The VQ loss ‖z_q − sg(z)‖² moves the codes (left out when EMA moves them instead); the
    /// commitment loss β·‖z − sg(z_q)‖² keeps the encoder near its codes.
    /// </summary>
    internal QuantizerLoss Losses(Tensor z, Tensor zq)
    {
        var vq = nn.functional.mse_loss(zq, z.detach());
        var commit = nn.functional.mse_loss(z, zq.detach());
        var weightedCommit = Training.Beta * commit;
        return new QuantizerLoss(vq, commit, Training.Update == CodebookUpdate.Loss ? new[] { vq, weightedCommit } : new[] { weightedCommit });
    }

    /// <summary>Counts how often each code was chosen: [K] floats.</summary>
    public Tensor Histogram(Tensor codes) => Histograms(codes)[0];

    public override bool WantsInitialisation => Training.KmeansInit;

    /// <summary>k-means (k-means++ seeding, then Lloyd) of the encoder outputs z [M, D] becomes the codebook.</summary>
    public override void Initialise(Tensor z, int iterations, Generator generator)
    {
        if (Training.KmeansInit) Assign(Kmeans.Fit(z, CodebookSize, iterations, generator));
    }

    public override int AfterStep(QuantizerOutput output, Generator generator) =>
        UpdateCodebook(output.LevelInputs[0], output.Codes, generator);

    /// <summary>The optional codebook rules for one codebook: EMA updates and dead-code restarts.</summary>
    internal int UpdateCodebook(Tensor input, Tensor codes, Generator generator)
    {
        if (Training.Update != CodebookUpdate.Ema && Training.DeadCodeThreshold <= 0) return 0;
        var z = input.detach().reshape(-1, HiddenSize);
        if (Training.Update == CodebookUpdate.Ema) EmaUpdate(z, codes, Training.EmaDecay);
        return Training.DeadCodeThreshold > 0
            ? RestartDeadCodes(z, codes, Training.DeadCodeThreshold, Training.EmaDecay, generator)
            : 0;
    }

    /// <summary>
    /// Moves each code towards the mean of the encoder outputs assigned to it, with Laplace-smoothed
    /// cluster sizes so an unused code does not divide by zero.
    /// </summary>
    public void EmaUpdate(Tensor z, Tensor codes, double decay, double epsilon = 1e-5)
    {
        using var _ = no_grad();
        var onehot = nn.functional.one_hot(codes.flatten(), CodebookSize).to(z.dtype);
        ema_cluster_size.mul_(decay).add_(onehot.sum(dim: 0), alpha: 1 - decay);
        ema_embed_sum.mul_(decay).add_(onehot.t().matmul(z), alpha: 1 - decay);
        var n = ema_cluster_size.sum();
        var smoothed = (ema_cluster_size + epsilon) / (n + CodebookSize * epsilon) * n;
        weight.copy_(ema_embed_sum / smoothed.unsqueeze(1));
    }

    /// <summary>Tracks per-code usage and re-seeds codes whose smoothed usage fell below threshold. Returns how many.</summary>
    public int RestartDeadCodes(Tensor z, Tensor codes, double threshold, double decay, Generator? generator = null)
    {
        using var _ = no_grad();
        var counts = Histogram(codes);
        // The first batch sets the usage outright: an EMA started from any guess would keep codes the
        // first batch already shows unused alive for dozens of steps (69 at decay 0.99 from 1 to 0.5),
        // and by then the encoder has moved away from the k-means codes and most of them are stranded.
        usage.copy_(where(usage < 0, counts, usage * decay + counts * (1 - decay)));
        var dead = (usage < threshold).nonzero().flatten();
        int count = (int)dead.shape[0];
        if (count == 0) return 0;
        var picks = randint(0, z.shape[0], new long[] { count }, generator: generator, device: z.device);
        var seeds = z.index_select(0, picks);
        weight.index_copy_(0, dead, seeds);
        ema_embed_sum.index_copy_(0, dead, seeds);
        ema_cluster_size.index_fill_(0, dead, 1.0);
        // A fresh code starts at the threshold: it stays if it wins at least that many vectors a batch.
        usage.index_fill_(0, dead, threshold);
        return count;
    }

    /// <summary>Replaces all codes (k-means initialisation) and resets the EMA state to match.</summary>
    public void Assign(Tensor codes)
    {
        using var _ = no_grad();
        weight.copy_(codes);
        ema_embed_sum.copy_(codes);
        ema_cluster_size.fill_(1.0);
    }

    /// <summary>Every code, however many: a learnt codebook is pictured whole.</summary>
    public override Tensor PictureLatents(int max) => weight.detach();
}
