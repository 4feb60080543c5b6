using VqVae.Checkpoints;
using VqVae.Training;

namespace VqVae.Exporter.Cli;

/// <summary>
/// Real images for --verify: the validation split of the data the checkpoint was trained on, when
/// that data is still where training found it. Verification falls back to random inputs otherwise.
/// </summary>
public static class ValidationImages
{
    public static float[]? ForCheckpoint(CheckpointInfo info)
    {
        var training = info.Training;
        if (training is null || !Directory.Exists(training.DataPath)) return null;
        var options = new TrainingOptions
        {
            Model = info.Model, DataPath = training.DataPath, Seed = training.Seed, ValidationFraction = training.ValidationFraction,
        };
        var (_, validation) = TrainingData.Load(options);
        return validation.Pixels;
    }
}
