using System.Text;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Shard I of N (0 ≤ I &lt; N): the files whose relative path hashes to I modulo N. The hash (64-bit
/// FNV-1a of the path's UTF-8 bytes, '/' separators) depends on nothing but the path, so every machine of
/// an indexed job picks its files alone, without listing the folder first or talking to the others.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    public static Shard All => new(0, 1);

    public bool Contains(string relativePath) => Count == 1 || (int)(Hash(relativePath) % (ulong)Count) == Index;

    public static ulong Hash(string relativePath)
    {
        ulong hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(relativePath)) { hash ^= b; hash *= 1099511628211UL; }
        return hash;
    }

    /// <summary>"I/N" as in Kubernetes indexed jobs (JOB_COMPLETION_INDEX/N); throws FormatException otherwise.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var i) || !int.TryParse(parts[1], out var n) || n < 1 || i < 0 || i >= n)
            throw new FormatException($"--shard '{text}': expected I/N with 0 ≤ I < N, for example 0/4");
        return new Shard(i, n);
    }

    public override string ToString() => $"{Index}/{Count}";
}
