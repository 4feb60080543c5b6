namespace VqVae.Bench;

/// <summary>The bench's sections that <c>--only</c> can pick (the ceiling always runs: every fraction is of it).</summary>
public static class Sections
{
    public const string Training = "training";
    public const string Post = "post";
    public const string Inference = "inference";
    public const string Memory = "memory";
    public static readonly string[] All = [Training, Post, Inference, Memory];

    /// <summary>The sections of an <c>--only</c> value (null: all of them), or why the value is refused.</summary>
    public static IReadOnlySet<string> Parse(string? only, out string? problem)
    {
        problem = null;
        if (only is null) return All.ToHashSet();
        var chosen = only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        if (chosen.FirstOrDefault(s => !All.Contains(s)) is { } unknown)
            problem = $"--only {only}: unknown section '{unknown}' (expected some of {string.Join(", ", All)})";
        else if (chosen.Count == 0)
            problem = $"--only {only}: no section named";
        else if (chosen.Contains(Memory) && !chosen.Contains(Inference))
            problem = $"--only {only}: memory scores the graphs the inference section exports; add inference";
        return chosen;
    }
}
