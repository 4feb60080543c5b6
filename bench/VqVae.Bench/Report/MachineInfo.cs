using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace VqVae.Bench;

/// <summary>Where and with what the figures were measured: they mean little without it.</summary>
public sealed record MachineInfo(
    int LogicalCores, string CpuModel, string VectorUnits, string Os, int Threads,
    string OmpWaitPolicy, string OnednnMaxCpuIsa, string ThpMemAllocEnable, IReadOnlyList<(string Name, string Version)> Versions)
{
    public static MachineInfo Collect(int threads)
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string? Field(string name) => cpuinfo.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        var flags = (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return new MachineInfo(
            Environment.ProcessorCount,
            Field("model name") ?? "unknown",
            flags.Count > 0 ? DescribeVectorUnits(flags) : "vector extensions unknown (no /proc/cpuinfo flags)",
            RuntimeInformation.OSDescription,
            threads,
            Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "unset",
            Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? "unset",
            Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE") ?? "unset",
            CollectVersions());
    }

    /// <summary>
    /// "AVX2 yes (fma), AVX-512 yes (avx512f, avx512_bf16), AMX yes (amx_tile, amx_bf16)": the vector units decide
    /// the matrix-product ceiling, and machines of one kind differ in them, so every figure needs them beside it.
    /// </summary>
    public static string DescribeVectorUnits(IReadOnlySet<string> flags)
    {
        string Unit(string name, string key, params string[] extras)
        {
            var present = extras.Where(flags.Contains).ToList();
            return flags.Contains(key)
                ? $"{name} yes" + (present.Count > 0 ? $" ({string.Join(", ", present)})" : "")
                : $"{name} no";
        }
        return string.Join(", ",
            Unit("AVX2", "avx2", "fma"),
            Unit("AVX-512", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16"),
            Unit("AMX", "amx_tile", "amx_bf16", "amx_int8", "amx_fp16"));
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
