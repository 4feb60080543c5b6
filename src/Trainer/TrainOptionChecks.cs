using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>Refuses option values that cannot train, naming the option, before any data is read.</summary>
public static class TrainOptionChecks
{
    /// <summary>Beyond this many weights in the codebook (K·D) the model alone would need gigabytes; refused before allocating.</summary>
    public const long MaxCodebookWeights = 256L * 1024 * 1024;

    public static void Validate(TrainingOptions o)
    {
        Positive("--epochs", o.Epochs);
        Positive("--batch-size", o.BatchSize);
        if (o.Threads < 0) throw new ArgumentException($"--threads {o.Threads}: must be 0 (one per core) or more");
        OptionLimits.Threads("--threads", o.Threads);
        if (o.MaxStepsPerEpoch < 0) throw new ArgumentException($"--max-steps-per-epoch {o.MaxStepsPerEpoch}: must be 0 (whole epochs) or more");
        if (!double.IsFinite(o.LearningRate) || o.LearningRate <= 0)
            throw new ArgumentException($"--lr {o.LearningRate}: the learning rate must be a finite number greater than 0");
        if (!double.IsFinite(o.Codebook.Beta) || o.Codebook.Beta < 0)
            throw new ArgumentException($"--beta {o.Codebook.Beta}: must be a finite number ≥ 0");
        Positive("--hidden-size", o.Model.HiddenSize);
        Positive("--codebook-size", o.Model.CodebookSize);
        long weights = o.Model.QuantizerDescriptor.CodebookWeights(o.Model);
        if (weights > MaxCodebookWeights)
            throw new ArgumentException(
                $"--codebook-size {o.Model.CodebookSize} × --hidden-size {o.Model.HiddenSize}{(o.Model.Depth > 1 ? $" × --depth {o.Model.Depth}: codebooks" : ": a codebook")} of {weights * 4 / (1024 * 1024)} MiB {(o.Model.Depth > 1 ? "are" : "is")} too large (at most {MaxCodebookWeights * 4 / (1024 * 1024)} MiB)");
        _ = o.ResolvedDecoderPath; // refuses --decoder-path table where the decoder is not a function of one code
        OptionLimits.Memory("--batch-size", o.BatchSize, BytesPerTrainingImage(o.Model), "a training step on a batch of that many images");
    }

    /// <summary>
    /// Memory one image of a batch takes in a training step, estimated generously from the tensors that
    /// live through forward and backward: pixels, latents and the distance to every code at each position,
    /// and for the conv model its hidden feature maps.
    /// </summary>
    public static double BytesPerTrainingImage(ModelConfig m)
    {
        double pixels = (double)m.Channels * m.Height * m.Width;
        double positions = (double)m.LatentHeight * m.LatentWidth;
        double floats = 8 * pixels + positions * (16.0 * m.HiddenSize + 4.0 * m.CodebookSize * m.CodesPerPosition);
        if (m.Arch == Arch.Conv) floats += 8.0 * m.ConvChannels * m.Height * m.Width;
        return 4 * floats;
    }

    static void Positive(string option, int value)
    {
        if (value < 1) throw new ArgumentException($"{option} {value}: must be at least 1");
    }
}
