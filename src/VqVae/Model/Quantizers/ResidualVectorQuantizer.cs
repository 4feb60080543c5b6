using TorchSharp.Modules;
using VqVae.Checkpoints;
using static TorchSharp.torch;

namespace VqVae.Model.Quantizers;

/// <summary>
/// Residual vector quantization (SoundStream; RQ-VAE): L codebooks of K codes, level l quantizing what
/// the levels before it left, z_q the sum of the L chosen vectors, L codes per position. Each level is
/// a <see cref="VectorQuantizer"/> with its own VQ and commitment losses, EMA, k-means initialisation
/// and dead-code restarts; one gradient estimator carries the decoder's gradient across the sum.
/// </summary>
public sealed class ResidualVectorQuantizer : Quantizer
{
    public readonly ModuleList<VectorQuantizer> levels = new();
    readonly GradientEstimator estimator;

    public ResidualVectorQuantizer(int depth, int codebookSize, int hiddenSize, CodebookTraining? training = null) : base("codebooks")
    {
        training ??= new CodebookTraining();
        estimator = training.Estimator;
        for (int level = 0; level < depth; level++) levels.Add(new VectorQuantizer(codebookSize, hiddenSize, training));
        RegisterComponents();
    }

    public override int CodebookSize => levels[0].CodebookSize;
    public override int Depth => levels.Count;

    public override QuantizerOutput forward(Tensor ze)
    {
        var residual = ze;
        Tensor? zq = null;
        var codes = new List<Tensor>();
        var inputs = new List<Tensor>();
        var losses = new List<QuantizerLoss>();
        foreach (var level in levels)
        {
            var c = level.Codes(residual);
            var q = level.Lookup(c);
            inputs.Add(residual);
            codes.Add(c);
            losses.Add(level.Losses(residual, q));
            zq = zq is null ? q : zq + q;
            // The next level sees what is left; no gradient flows back through an earlier level's choice.
            residual = residual - q.detach();
        }
        var loss = new QuantizerLoss(
            losses.Select(l => l.Vq).Aggregate((a, b) => a + b),
            losses.Select(l => l.Commitment).Aggregate((a, b) => a + b),
            losses.SelectMany(l => l.Terms).ToArray());
        return new QuantizerOutput(GradientEstimators.Apply(estimator, ze, zq!), zq!, stack(codes, -1), loss, inputs);
    }

    public override Tensor Codes(Tensor ze)
    {
        using var _ = no_grad();
        var residual = ze;
        var codes = new List<Tensor>();
        foreach (var level in levels)
        {
            var c = level.Codes(residual);
            codes.Add(c);
            residual = residual - level.Lookup(c);
        }
        return stack(codes, -1);
    }

    /// <summary>Codes [..., L] → the sum of each level's vector [..., D].</summary>
    public override Tensor Lookup(Tensor codes)
    {
        var perLevel = codes.unbind(-1);
        var sum = levels[0].Lookup(perLevel[0]);
        for (int l = 1; l < levels.Count; l++) sum = sum + levels[l].Lookup(perLevel[l]);
        return sum;
    }

    public override bool WantsInitialisation => levels[0].WantsInitialisation;

    /// <summary>k-means level by level: each level is fitted to what the levels before it leave of z.</summary>
    public override void Initialise(Tensor z, int iterations, Generator generator)
    {
        var residual = z;
        foreach (var level in levels)
        {
            level.Initialise(residual, iterations, generator);
            residual = residual - level.Lookup(level.Nearest(residual));
        }
    }

    public override int AfterStep(QuantizerOutput output, Generator generator)
    {
        var codes = output.Codes.unbind(-1);
        int restarted = 0;
        for (int l = 0; l < levels.Count; l++) restarted += levels[l].UpdateCodebook(output.LevelInputs[l], codes[l], generator);
        return restarted;
    }

    /// <summary>The first level's codes: the coarse ones, each a whole patch on its own.</summary>
    public override Tensor PictureLatents(int max) => levels[0].PictureLatents(max);
}
