using System.CommandLine;

namespace VqVae.MlNetConsumer.Cli;

/// <summary>
/// vqvae-score: `score` a folder of images into codes, reconstructions and metrics, `merge` the outputs
/// of its shards, or `decode` a codes.csv back into images. Run takes the writers so tests call it in-process.
/// Exit codes: 0 all scored; 1 some files failed (listed); 2 refused before any work.
/// </summary>
public static class ScoreCli
{
    public const int Ok = 0;
    public const int SomeFailed = 1;
    public const int Refused = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Score images with exported VQ-VAE graphs through ML.NET, or decode code grids back into images.")
        {
            ScoreCommand.Create(stdout, stderr),
            DecodeCommand.Create(stdout, stderr),
            MergeCommand.Create(stdout, stderr),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    internal static Option<string> RequiredPath(string name, string description) =>
        new(name) { Description = description, Required = true };

    internal static Option<int?> Gpu() =>
        new("--gpu") { Description = "CUDA device to run the graphs on (falls back to CPU unless --no-cpu-fallback)" };

    internal static Option<bool> NoCpuFallback() =>
        new("--no-cpu-fallback") { Description = "with --gpu: refuse to run when CUDA cannot start instead of running on CPU" };

    internal static Option<bool> Force() =>
        new("--force") { Description = "replace an existing output folder" };

    /// <summary>Shared refusals, each a one-line message on stderr and exit code 2.</summary>
    internal static int Guarded(TextWriter stderr, Func<int> run)
    {
        try { return run(); }
        catch (Exception e) when (e is InvalidDataException or ExecutionProviderException or FormatException
                                      or DirectoryNotFoundException or FileNotFoundException or UsageException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return Refused;
        }
    }

    /// <summary>The output folder is replaced only with --force; checked before any work.</summary>
    internal static string CheckOutput(string output, bool force)
    {
        var full = Path.GetFullPath(output);
        if ((Directory.Exists(full) || File.Exists(full)) && !force)
            throw new UsageException($"{full} already exists; pass --force to replace it");
        return full;
    }

    internal static Option<bool> Verbose() =>
        new("--verbose") { Description = "with --gpu: let ONNX Runtime print its native log while CUDA is tried" };

    /// <summary>The one line printed when CUDA was asked for but the graphs run on CPU.</summary>
    internal static void ReportProvider(TextWriter stderr, ExecutionProviderChoice provider)
    {
        if (provider.FallbackReason is { } reason) stderr.WriteLine($"note: {reason}");
    }
}

/// <summary>A command line that cannot be carried out (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
