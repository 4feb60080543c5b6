namespace VqVaeMl.Common;

/// <summary>Where training runs: CUDA when libtorch sees a GPU (auto), or the one asked for.</summary>
public enum ComputeDevice { Auto, Cpu, Cuda }

/// <summary>How the decoder's gradient crosses the non-differentiable nearest-code step.</summary>
public enum GradientEstimator
{
    /// <summary>z_e + sg(z_q − z_e): the encoder gets the decoder's gradient; the codebook learns from its own loss.</summary>
    StraightThrough,
    /// <summary>z_q + (z_e − sg(z_e)): the same value, and the decoder's gradient also reaches the chosen codes.</summary>
    StraightThroughToCodebook,
    /// <summary>
    /// The rotation trick (Fifty et al. 2024): z_q's value, reached from z_e by a rotation and rescaling held
    /// constant, so the encoder gets the decoder's gradient rotated from z_q's direction to z_e's and scaled by ‖z_q‖/‖z_e‖.
    /// </summary>
    RotationTrick,
}

/// <summary>How training evaluates the patch decoder; every path computes the same function and gradient.</summary>
public enum DecoderPath
{
    /// <summary>The table where it applies and pays (the patch model with vq or fsq, K small against a batch's positions), else direct.</summary>
    Auto,
    /// <summary>The decoder evaluated once per code, its outputs gathered per position.</summary>
    Table,
    /// <summary>The decoder evaluated at every position.</summary>
    Direct,
}

/// <summary>What moves the codebook vectors.</summary>
public enum CodebookUpdate
{
    /// <summary>Gradient of the VQ loss ‖sg(z_e) − z_q‖².</summary>
    Loss,
    /// <summary>Exponential moving averages of the encoder outputs assigned to each code.</summary>
    Ema,
}

/// <summary>How the codebook is trained: none of it changes the model's shape or its exported graphs.</summary>
public sealed record CodebookTraining
{
    public GradientEstimator Estimator { get; init; } = GradientEstimator.StraightThrough;
    /// <summary>Weight of the commitment loss ‖z_e − sg(z_q)‖².</summary>
    public double Beta { get; init; } = 0.25;
    public CodebookUpdate Update { get; init; } = CodebookUpdate.Loss;
    /// <summary>Decay of the EMA codebook statistics and of the usage that finds dead codes.</summary>
    public double EmaDecay { get; init; } = 0.99;
    /// <summary>Initialise the codebook by k-means on the first batches' encoder outputs.</summary>
    public bool KmeansInit { get; init; }
    /// <summary>Codes whose EMA usage per batch falls below this are re-seeded; 0 turns it off.</summary>
    public double DeadCodeThreshold { get; init; }

    /// <summary>Throws with the problem named when a value cannot train.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Estimator)) throw new InvalidDataException($"estimator {(int)Estimator} is not a known gradient estimator");
        if (!Enum.IsDefined(Update)) throw new InvalidDataException($"codebook update {(int)Update} is not known");
        if (!double.IsFinite(Beta) || Beta < 0) throw new InvalidDataException($"beta must be a finite number ≥ 0, not {Beta}");
        if (!(EmaDecay > 0 && EmaDecay < 1)) throw new InvalidDataException($"ema decay must lie between 0 and 1 (exclusive), not {EmaDecay}");
        if (!double.IsFinite(DeadCodeThreshold) || DeadCodeThreshold < 0)
            throw new InvalidDataException($"dead-code threshold must be a finite number ≥ 0, not {DeadCodeThreshold}");
    }
}

/// <summary>
/// The adversarial loss of VQGAN (a PatchGAN discriminator, hinge loss, adaptive weight): trains the model, never part of it.
/// </summary>
public sealed record AdversarialTraining
{
    /// <summary>The optimizer step (counted over the whole run from 0) from which the term and the discriminator train.</summary>
    public int DiscStart { get; init; } = 1000;
    /// <summary>w, the factor on the adaptive weight λ (taming-transformers' VQGAN configurations use 0.8).</summary>
    public double DiscWeight { get; init; } = 0.8;
    /// <summary>
    /// Steps from <see cref="DiscStart"/> in which the discriminator trains alone, before its term enters the
    /// model's loss: the adaptive weight gives the term full strength at once, against a discriminator that has
    /// learnt nothing yet. 0 starts both together, as taming-transformers does.
    /// </summary>
    public int DiscWarmup { get; init; }

    /// <summary>Throws with the problem named when a value cannot train.</summary>
    public void Validate()
    {
        if (DiscStart < 0) throw new InvalidDataException($"--disc-start must be 0 or more, not {DiscStart}");
        if (DiscWarmup < 0) throw new InvalidDataException($"--disc-warmup must be 0 or more, not {DiscWarmup}");
        if (!double.IsFinite(DiscWeight) || DiscWeight <= 0) throw new InvalidDataException($"--disc-weight must be a finite number > 0, not {DiscWeight}");
    }
}

/// <summary>The training hyperparameters that are not part of the model's shape.</summary>
public sealed record TrainingSettings
{
    public string Preset { get; init; } = "";
    /// <summary>Which data set the run trained on (e.g. mnist, pokemon), for reports.</summary>
    public string Dataset { get; init; } = "";
    public string DataPath { get; init; } = "";
    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    public double LearningRate { get; init; }
    public int Seed { get; init; }
    public double ValidationFraction { get; init; }
    public CodebookTraining Codebook { get; init; } = new();
    /// <summary>The adversarial loss, when the run trained with it (null: without, and in runs written before it existed).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AdversarialTraining? Adversarial { get; init; }
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;
    public int Threads { get; init; }
    /// <summary>The decoder path asked for (a config.json written before there was a choice reads as auto).</summary>
    public DecoderPath DecoderPath { get; init; } = DecoderPath.Auto;
}
