using System.Text.Json;
using VqVae.Checkpoints;

namespace VqVae.Training;

/// <summary>What a resumed run needs besides weights and optimizer state (saved in last/ only).</summary>
public sealed record TrainerState
{
    public int CompletedEpochs { get; init; }
    public double BestMse { get; init; }
    public List<EpochMetrics> History { get; init; } = new();

    public static TrainerState From(TrainingLoop loop) =>
        new() { CompletedEpochs = loop.CompletedEpochs, BestMse = loop.BestMse, History = loop.History.ToList() };

    public string ToJson() => JsonSerializer.Serialize(this, ModelConfig.Json);

    public static TrainerState FromJson(string json, string path)
    {
        try { return JsonSerializer.Deserialize<TrainerState>(json, ModelConfig.Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid trainer state: {e.Message}"); }
    }
}
