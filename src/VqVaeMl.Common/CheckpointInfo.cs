using System.Text.Json;
using System.Text.Json.Serialization;

namespace VqVaeMl.Common;

/// <summary>config.json of a checkpoint: the model's configuration plus how and how far it was trained.</summary>
public sealed record CheckpointInfo
{
    public ModelConfig Model { get; init; } = new();
    public int Epoch { get; init; }
    public EpochMetrics? Metrics { get; init; }
    public TrainingSettings? Training { get; init; }
    /// <summary>The files a model was imported from (a PyTorch state dict, or torch.onnx graphs and a codebook); absent for a model trained here.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ImportedFile>? ImportedFrom { get; init; }
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
        catch (JsonException e) { throw DamagedFile.Json(path, "checkpoint configuration", e); }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path)) { throw new InvalidDataException($"{path}: {e.Message}"); }
    }
}
