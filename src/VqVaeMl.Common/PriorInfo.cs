using System.Text.Json;

namespace VqVaeMl.Common;

/// <summary>Validation figures of one prior epoch, in bits (log base 2) as metrics.csv and prior.json hold them.</summary>
public sealed record PriorMetrics
{
    public int Epoch { get; init; }
    /// <summary>Mean training cross-entropy over the epoch, bits per code.</summary>
    public double TrainBitsPerCode { get; init; }
    /// <summary>Validation negative log-likelihood, bits per code: what picks the best checkpoint.</summary>
    public double ValidationBitsPerCode { get; init; }
    /// <summary>The same per code map (bits per code × h·w).</summary>
    public double ValidationBitsPerImage { get; init; }
    /// <summary>Baseline: every code equally likely, log2 K.</summary>
    public double UniformBitsPerCode { get; init; }
    /// <summary>Baseline: entropy of the validation codes' own histogram — no model that treats positions independently does better.</summary>
    public double HistogramBitsPerCode { get; init; }
    public double Seconds { get; init; }
}

/// <summary>How a prior was trained.</summary>
public sealed record PriorSettings
{
    /// <summary>The VQ-VAE checkpoint whose codes it models.</summary>
    public string VqVaeCheckpoint { get; init; } = "";
    public int Epochs { get; init; }
    public int BatchSize { get; init; }
    public double LearningRate { get; init; }
    public int Seed { get; init; }
    public int Threads { get; init; }
}

/// <summary>prior.json of a prior checkpoint: the prior's shape plus how and how far it was trained.</summary>
public sealed record PriorInfo
{
    public PriorConfig Prior { get; init; } = new();
    public int Epoch { get; init; }
    public PriorMetrics? Metrics { get; init; }
    public PriorSettings? Training { get; init; }
    public string Producer { get; init; } = CheckpointInfo.ProducerName;

    public string ToJson() => JsonSerializer.Serialize(this, ModelConfig.Json);

    public static PriorInfo FromJson(string json, string path)
    {
        try
        {
            var info = JsonSerializer.Deserialize<PriorInfo>(json, ModelConfig.Json)
                ?? throw new InvalidDataException($"{path}: empty prior configuration");
            info.Prior.Validate();
            return info;
        }
        catch (JsonException e) { throw DamagedFile.Json(path, "prior configuration", e); }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path)) { throw new InvalidDataException($"{path}: {e.Message}"); }
    }
}
