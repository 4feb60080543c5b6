using System.Text.Json;

namespace VqVae.MlNetConsumer.Scoring;

/// <summary>A file or row that could not be scored, and why.</summary>
public sealed record ScoreFailure(string Path, string Reason);

/// <summary>summary.json of a score or decode run.</summary>
public sealed record RunSummary
{
    public string Command { get; init; } = "";
    public string Model { get; init; } = "";
    /// <summary>The images folder (score) or codes.csv (decode).</summary>
    public string Input { get; init; } = "";
    public string Shard { get; init; } = Scoring.Shard.All.ToString();
    /// <summary>Files (score) or rows (decode) this run was given.</summary>
    public int Found { get; init; }
    public int Scored { get; init; }
    public int Failed => Failures.Count;
    public IReadOnlyList<ScoreFailure> Failures { get; init; } = [];
    /// <summary>Mean per-image MSE and PSNR against the resized input; null for decode or when nothing scored.</summary>
    public double? MeanMse { get; init; }
    public double? MeanPsnr { get; init; }
    public double Seconds { get; init; }
    public double ImagesPerSecond { get; init; }
    public string ExecutionProvider { get; init; } = "";

    public string ToJson() => JsonSerializer.Serialize(this, ModelConfig.Json);
    public static RunSummary FromJson(string json) =>
        JsonSerializer.Deserialize<RunSummary>(json, ModelConfig.Json) ?? throw new InvalidDataException("empty summary");
}
