using System.Text.Json;

namespace VqVae.Checkpoints;

/// <summary>Validation figures of one epoch, as logged, written into metrics.csv and config.json.</summary>
public sealed record EpochMetrics
{
    public int Epoch { get; init; }
    public double TrainLoss { get; init; }
    public double ValidationLoss { get; init; }
    /// <summary>Validation reconstruction MSE: what picks the best checkpoint, as in the seed.</summary>
    public double ValidationMse { get; init; }
    public double ValidationVqLoss { get; init; }
    public double ValidationPsnr { get; init; }
    /// <summary>Distinct codes chosen on the validation set.</summary>
    public int ActiveCodes { get; init; }
    /// <summary>exp(entropy) of the validation code histogram: the number of equally used codes it equals.</summary>
    public double Perplexity { get; init; }
    public int RestartedCodes { get; init; }
    public double Seconds { get; init; }
    public double ImagesPerSecond { get; init; }
}

/// <summary>config.json of a checkpoint: the model's configuration plus how and how far it was trained.</summary>
public sealed record CheckpointInfo
{
    public ModelConfig Model { get; init; } = new();
    public int Epoch { get; init; }
    public EpochMetrics? Metrics { get; init; }
    public TrainingSettings? Training { get; init; }
    public string Producer { get; init; } = ProducerName;

    public static string ProducerName =>
        "VqVaeMl " + (typeof(CheckpointInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    public string ToJson() => JsonSerializer.Serialize(this, ModelConfig.Json);

    public static CheckpointInfo FromJson(string json, string path)
    {
        try
        {
            var info = JsonSerializer.Deserialize<CheckpointInfo>(json, ModelConfig.Json)
                ?? throw new InvalidDataException($"{path}: empty configuration");
            info.Model.Validate();
            return info;
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid checkpoint configuration: {e.Message}"); }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path)) { throw new InvalidDataException($"{path}: {e.Message}"); }
    }
}

/// <summary>The training hyperparameters that are not part of the model's shape.</summary>
public sealed record TrainingSettings
{
    public string Preset { get; init; } = "";
    public string DataPath { get; init; } = "";
    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    public double LearningRate { get; init; }
    public int Seed { get; init; }
    public double ValidationFraction { get; init; }
    public string Device { get; init; } = "cpu";
    public int Threads { get; init; }
}
