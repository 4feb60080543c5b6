using System.Text.Json;
using System.Text.Json.Serialization;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>A file or row that could not be scored, and why.</summary>
public sealed record ScoreFailure(string Path, string Reason);

/// <summary>One shard's figures, as a merged summary.json lists them.</summary>
public sealed record ShardRun(string Shard, string Folder, int Found, int Scored, int Failed, double Seconds, double ImagesPerSecond);

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
    /// <summary>Mean per-image MSE and PSNR against the resized input; null for decode without originals or when nothing scored.</summary>
    public double? MeanMse { get; init; }
    public double? MeanPsnr { get; init; }
    /// <summary>Mean per-image SSIM against the resized input (score), or the originals (decode --originals); null where not measured or undefined.</summary>
    public double? MeanSsim { get; init; }
    public double Seconds { get; init; }
    public double ImagesPerSecond { get; init; }
    public string ExecutionProvider { get; init; } = "";
    /// <summary>SHA-256 of the graph files that ran (<see cref="ModelIdentity"/>): shards of one run must agree on it.</summary>
    public string ModelSha256 { get; init; } = "";
    /// <summary>True once every file was scored and every output written; merge refuses a shard without it.</summary>
    public bool Finished { get; init; }
    /// <summary>A merged run only: what each shard reported.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ShardRun>? ShardRuns { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ModelConfig.Json);
    public static RunSummary FromJson(string json) =>
        JsonSerializer.Deserialize<RunSummary>(json, ModelConfig.Json) ?? throw new InvalidDataException("empty summary");
}
