using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace VqVae.Bench;

/// <summary>Where and with what the figures were measured: they mean little without it.</summary>
public sealed record MachineInfo(
    int LogicalCores, string CpuModel, string CpuFeatures, string Os, int Threads,
    string OmpWaitPolicy, string OnednnMaxCpuIsa, string ThpMemAllocEnable, IReadOnlyList<(string Name, string Version)> Versions)
{
    public static MachineInfo Collect(int threads)
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string? Field(string name) => cpuinfo.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        var flags = (Field("flags") ?? "").Split(' ').ToHashSet();
        // The vector units decide the matrix-product ceiling.
        var features = string.Join(", ", new[] { "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile" }.Where(flags.Contains));
        return new MachineInfo(
            Environment.ProcessorCount,
            Field("model name") ?? "unknown",
            features.Length > 0 ? features : "unknown",
            RuntimeInformation.OSDescription,
            threads,
            Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "unset",
            Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "unset",
            Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE") ?? "unset",
            CollectVersions());
    }

    static List<(string, string)> CollectVersions()
    {
        var packages = PackageVersions();
        string Package(string id) => packages.TryGetValue(id, out var v) ? v : "unknown";
        return
        [
            ("TorchSharp", InformationalVersion(typeof(TorchSharp.torch).Assembly)),
            ("libtorch", packages.FirstOrDefault(p => p.Key.StartsWith("libtorch-", StringComparison.Ordinal)) is { Key: not null } lib
                ? $"{lib.Value} ({lib.Key})" : "unknown"),
            ("ONNX Runtime", $"{OrtEnv.Instance().GetVersionString()} (native; Microsoft.ML.OnnxRuntime.Managed {Package("Microsoft.ML.OnnxRuntime.Managed")})"),
            ("ML.NET", InformationalVersion(typeof(Microsoft.ML.MLContext).Assembly)),
            (".NET", RuntimeInformation.FrameworkDescription),
        ];
    }

    static string InformationalVersion(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        int plus = version.IndexOf('+');
        return plus > 0 ? version[..plus] : version;
    }

    /// <summary>The package versions this build resolved, from the bench's deps.json ("name/version" library keys).</summary>
    static Dictionary<string, string> PackageVersions()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vqvae-bench.deps.json");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return result;
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("libraries", out var libraries)) return result;
        foreach (var library in libraries.EnumerateObject())
        {
            var parts = library.Name.Split('/', 2);
            if (parts.Length == 2) result[parts[0]] = parts[1];
        }
        return result;
    }
}
