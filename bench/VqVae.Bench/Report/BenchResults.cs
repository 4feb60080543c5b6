namespace VqVae.Bench;

/// <summary>Everything one bench run measured, and how.</summary>
public sealed record BenchResults(
    string Command, DateTimeOffset Started, BenchSettings Settings, MachineInfo Machine,
    CeilingResult Ceiling, IReadOnlyList<TrainingResult> Training, IReadOnlyList<PostComparison> PostComparisons,
    IReadOnlyList<InferenceResult> Inference, ScoreRun? ScoreMemory, IReadOnlyList<Int8Result> Int8, IReadOnlyList<(string Section, double Seconds)> Timings,
    IReadOnlyList<TrainingResult>? TrainingDirect = null, PriorSamplingResult? Sampling = null)
{
    public IReadOnlyList<Check> Checks => Targets.Evaluate(this);
}
