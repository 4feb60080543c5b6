using System.Text.Json;

namespace VqVaeMl.Common;

/// <summary>
/// The one guard every tool runs on its output folder before any work: an output that is, holds or
/// lies inside one of the run's inputs is refused whatever the flags, and <c>--force</c> replaces only
/// a folder that carries the manifest the same tool wrote into it (<see cref="ManifestFile"/>). The
/// output is claimed for this process (<see cref="OutputClaim"/>), so two runs never write it at once.
/// </summary>
public static class OutputFolder
{
    /// <summary>Written into every output folder a tool creates; names the tool that may replace it.</summary>
    public const string ManifestFile = ".vqvae-output.json";

    /// <summary>Checks <paramref name="output"/>; returns its full path, or throws <see cref="OutputRefusedException"/>.</summary>
    /// <param name="tool">The tool's name as written into the manifest (e.g. vqvae-train), with the command when
    /// one tool's commands may not replace each other's outputs (e.g. vqvae-train prior).</param>
    /// <param name="inputs">The run's inputs (files or folders) with the option that named each.</param>
    /// <param name="outputOption">The option that named the output, for the messages.</param>
    /// <param name="runs">Runs the command reads and keeps its default output in (RUN/prior, RUN/onnx): the output
    /// may lie inside one, but may not be or hold it. What the command reads inside a run belongs in <paramref name="inputs"/>.</param>
    public static string Check(string output, bool force, string tool, IEnumerable<(string Option, string Path)> inputs,
        string outputOption = "--out", IEnumerable<(string Option, string Path)>? runs = null)
    {
        var full = RefuseOverlap(output, inputs, runs, outputOption);
        if (File.Exists(full))
            throw new OutputRefusedException($"{outputOption} {full} is an existing file, not a folder");
        OutputClaim.Take(full, outputOption);
        try { return CheckReplaceable(full, force, tool, outputOption); }
        catch { OutputClaim.Release(full); throw; }
    }

    /// <summary>An empty or missing folder may be written; an existing one only with --force, and only the tool's own.</summary>
    static string CheckReplaceable(string full, bool force, string tool, string outputOption)
    {
        StaleTemporaries.Remove(Path.GetDirectoryName(full)!);
        // The swap into place sets the old output aside under this name and deletes whatever had it.
        var aside = AtomicFile.SetAsideName(full);
        if (Directory.Exists(aside) && Owner(aside) != tool)
            throw new OutputRefusedException(
                $"{outputOption} {full}: {aside} is in the way (the old output is set aside under that name while the new one moves in) and was not written by {tool}; move or rename it");
        if (!Directory.Exists(full) || !Directory.EnumerateFileSystemEntries(full).Any()) return full;
        if (!force)
            throw new OutputRefusedException($"{outputOption} {full} already exists; pass --force to replace it");
        var owner = Owner(full);
        if (owner != tool)
            throw new OutputRefusedException(owner is null
                ? $"{outputOption} {full} was not written by {tool} (no {ManifestFile} in it); --force replaces only {tool}'s own outputs, so delete or move it yourself"
                : $"{outputOption} {full} was written by {owner}, not {tool}; --force replaces only {tool}'s own outputs");
        return full;
    }

    /// <summary>
    /// Refuses an output that is, holds or lies inside one of <paramref name="inputs"/>, or that is or holds one of
    /// <paramref name="runs"/>; returns its full path. <see cref="Check"/> runs it first; a resumed run, which
    /// continues its own folder, runs it alone.
    /// </summary>
    public static string RefuseOverlap(string output, IEnumerable<(string Option, string Path)> inputs,
        IEnumerable<(string Option, string Path)>? runs = null, string outputOption = "--out")
    {
        var full = Full(output);
        foreach (var (option, path) in runs ?? [])
        {
            var run = Full(path);
            if (full == run)
                throw new OutputRefusedException($"{outputOption} {full} is {option} itself; choose another output folder");
            if (IsInside(run, full))
                throw new OutputRefusedException($"{outputOption} {full} holds {option} {run}; choose an output folder outside it");
        }
        foreach (var (option, path) in inputs)
        {
            var input = Full(path);
            if (full == input)
                throw new OutputRefusedException($"{outputOption} {full} is {option} itself; choose another output folder");
            if (IsInside(input, full))
                throw new OutputRefusedException($"{outputOption} {full} holds {option} {input}; choose an output folder outside it");
            if (IsInside(full, input))
                throw new OutputRefusedException($"{outputOption} {full} lies inside {option} {input}; choose an output folder outside it");
        }
        return full;
    }

    /// <summary>Writes the manifest that lets <paramref name="tool"/> replace <paramref name="folder"/> with --force later.</summary>
    public static void Mark(string folder, string tool) =>
        AtomicFile.WriteAllText(Path.Combine(folder, ManifestFile),
            JsonSerializer.Serialize(new Manifest(tool, CheckpointInfoProducer()), ManifestJson));

    /// <summary>
    /// Fills <paramref name="output"/> whole through <see cref="AtomicFile.WriteDirectory"/>, with the manifest in it.
    /// Call <see cref="Check"/> first.
    /// </summary>
    public static void Write(string output, string tool, Action<string> fill)
    {
        try
        {
            AtomicFile.WriteDirectory(output, temp =>
            {
                fill(temp);
                Mark(temp, tool);
            });
        }
        finally { OutputClaim.Release(Full(output)); }
    }

    /// <summary>The tool named by the folder's manifest, or null when it has none (or an unreadable one).</summary>
    public static string? Owner(string folder)
    {
        var path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), ManifestJson)?.Tool; }
        catch (JsonException) { return null; }
    }

    sealed record Manifest(string Tool, string Producer);

    static readonly JsonSerializerOptions ManifestJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    static string CheckpointInfoProducer() =>
        "VqVaeMl " + (typeof(OutputFolder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    static string Full(string path) => RealPath.Of(path);

    static bool IsInside(string inner, string outer) => RealPath.IsInside(inner, outer);
}

/// <summary>An output folder a tool will not write: it overlaps an input, is a file, or is not the tool's to replace.</summary>
public sealed class OutputRefusedException(string message) : IOException(message);
