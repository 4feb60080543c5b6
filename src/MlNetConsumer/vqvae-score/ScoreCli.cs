using System.CommandLine;
using System.Globalization;
using VqVae.Cli;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Cli;

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
        var parsed = Root(stdout, stderr).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"error: {CliMessages.Plain(parsed.Errors[0].Message)}");
            return Refused;
        }
        // Unhandled exceptions reach CliHost (one line, trace in a log file), not System.CommandLine's printer.
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The whole command tree (the tests walk it to find every command that writes an output).</summary>
    public static RootCommand Root(TextWriter stdout, TextWriter stderr) =>
        new("Score images with exported VQ-VAE graphs through ML.NET, or decode code grids back into images.")
        {
            ScoreCommand.Create(stdout, stderr),
            DecodeCommand.Create(stdout, stderr),
            MergeCommand.Create(stdout, stderr),
            SampleCommand.Create(stdout, stderr),
        };

    /// <summary>The name written into output folders' manifests: only this tool replaces them with --force.</summary>
    public const string Tool = "vqvae-score";

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
                                      or DirectoryNotFoundException or FileNotFoundException or UsageException or OutputRefusedException
                                      or OptionOutOfRangeException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return Refused;
        }
    }

    internal static Option<bool> Verbose() =>
        new("--verbose") { Description = "with --gpu: let ONNX Runtime print its native log while CUDA is tried" };

    /// <summary>The one line printed when CUDA was asked for but the graphs run on CPU.</summary>
    internal static void ReportProvider(TextWriter stderr, ExecutionProviderChoice provider)
    {
        if (provider.FallbackReason is { } reason) stderr.WriteLine($"note: {reason}");
    }

    /// <summary>"mean MSE …, mean PSNR … dB, mean SSIM …" of a run that measured them (SSIM where its images have one).</summary>
    public static void WriteMeans(TextWriter stdout, RunSummary summary)
    {
        if (summary.MeanMse is not double mse) return;
        var inv = CultureInfo.InvariantCulture;
        var ssim = summary.MeanSsim is double s ? string.Format(inv, ", mean SSIM {0:F4}", s) : "";
        stdout.WriteLine(string.Format(inv, "mean MSE {0:G4}, mean PSNR {1:F2} dB{2}", mse, summary.MeanPsnr, ssim));
    }
}

/// <summary>A command line that cannot be carried out (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
