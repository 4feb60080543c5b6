using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VqVae.Model;

/// <summary>
/// The codebook: K vectors of width D (the reference post's nn.Embedding), the nearest-code search, and the
/// state for the EMA update and dead-code restarts (buffers, so they are saved with the weights).
/// </summary>
public sealed class Codebook : nn.Module
{
    public readonly Parameter weight;
    // EMA statistics (van den Oord et al. 2017, appendix): smoothed cluster sizes and sums of assigned vectors.
    readonly Tensor ema_cluster_size;
    readonly Tensor ema_embed_sum;
    // Smoothed number of vectors each code received per batch, for dead-code detection in any update mode.
    readonly Tensor usage;

    public Codebook(int codebookSize, int hiddenSize) : base("codebook")
    {
        // The reference post's init: uniform(−1/K, 1/K).
        weight = new Parameter(empty(codebookSize, hiddenSize));
        using (no_grad()) weight.uniform_(-1.0 / codebookSize, 1.0 / codebookSize);
        ema_cluster_size = ones(codebookSize);
        ema_embed_sum = weight.detach().clone();
        // Negative until the first batch is counted: see RestartDeadCodes.
        usage = full(codebookSize, -1.0f);
        RegisterComponents();
    }

    public int Size => (int)weight.shape[0];

    /// <summary>
    /// Squared L2 distance of each row of <paramref name="z"/> [M, D] to each code [K, D], written as
    /// ‖z‖² − 2·z·Eᵀ + ‖E‖² so the work is one matrix product (the exported graph uses the same form).
    /// </summary>
    public Tensor Distances(Tensor z)
    {
        var e = weight;
        return z.pow(2).sum(1, keepdim: true) - 2 * z.matmul(e.t()) + e.pow(2).sum(1).unsqueeze(0);
    }

    /// <summary>Index of the nearest code for each row of z [M, D].</summary>
    public Tensor Nearest(Tensor z)
    {
        using var _ = no_grad();
        return Distances(z).argmin(1);
    }

    /// <summary>The code vectors for indices of any shape: [...] → [..., D].</summary>
    public Tensor Lookup(Tensor codes)
    {
        var shape = codes.shape.Append(weight.shape[1]).ToArray();
        return weight.index_select(0, codes.flatten()).reshape(shape);
    }

    /// <summary>Counts how often each code was chosen: [K] floats.</summary>
    public Tensor Histogram(Tensor codes) =>
        zeros(Size, device: codes.device).index_add_(0, codes.flatten(), ones(codes.numel(), device: codes.device), 1);

    /// <summary>
    /// Moves each code towards the mean of the encoder outputs assigned to it, with Laplace-smoothed
    /// cluster sizes so an unused code does not divide by zero.
    /// </summary>
    public void EmaUpdate(Tensor z, Tensor codes, double decay, double epsilon = 1e-5)
    {
        using var _ = no_grad();
        var onehot = nn.functional.one_hot(codes.flatten(), Size).to(z.dtype);
        ema_cluster_size.mul_(decay).add_(onehot.sum(dim: 0), alpha: 1 - decay);
        ema_embed_sum.mul_(decay).add_(onehot.t().matmul(z), alpha: 1 - decay);
        var n = ema_cluster_size.sum();
        var smoothed = (ema_cluster_size + epsilon) / (n + Size * epsilon) * n;
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
}
