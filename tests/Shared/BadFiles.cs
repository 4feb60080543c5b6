using System.Buffers.Binary;
using System.Diagnostics;
using SkiaSharp;

namespace VqVae.TestSupport;

/// <summary>Files a careless or hostile user could hand the tools, made byte by byte.</summary>
public static class BadFiles
{
    /// <summary>A valid PNG whose header claims <paramref name="width"/>×<paramref name="height"/> pixels (its data is one pixel's).</summary>
    public static void WritePngClaiming(string path, int width, int height)
    {
        using var bitmap = new SKBitmap(1, 1);
        bitmap.Erase(SKColors.Gray);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var bytes = data.ToArray();
        // Signature (8) then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4), 5 more bytes, CRC (4).
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), Crc32(bytes.AsSpan(12, 17)));
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A small plain PNG.</summary>
    public static void WritePng(string path, int size, byte shade)
    {
        using var bitmap = new SKBitmap(size, size);
        bitmap.Erase(new SKColor(shade, (byte)(255 - shade), 128));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>Sends a POSIX signal (TERM, INT, KILL) to a process.</summary>
    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {process.Id}")!;
        kill.WaitForExit();
    }

    /// <summary>
    /// Starts <paramref name="dll"/>, waits until <paramref name="file"/> exists, sends SIG<paramref name="signal"/>
    /// and waits for the exit; returns the exit code and what it wrote to stderr.
    /// </summary>
    public static async Task<(int ExitCode, string Stderr)> SignalOnceExists(string dll, IEnumerable<string> args, string file, string signal)
    {
        using var process = ChildProcess.Start(dll, args);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(file))
        {
            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, $"{file} never appeared");
            Thread.Sleep(20);
        }
        Signal(process, signal);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "the process did not stop");
        return (process.ExitCode, await stderr);
    }

    /// <summary>Temporaries AtomicFile left directly in a folder.</summary>
    public static string[] Temporaries(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFileSystemEntries(folder).Select(p => System.IO.Path.GetFileName(p)).Where(n => n.Contains(".tmp-")).ToArray()
            : [];

    static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
