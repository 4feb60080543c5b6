namespace VqVaeMl.Common;

/// <summary>A path as the file system sees it: absolute, symbolic links resolved where they exist, no trailing separator.</summary>
public static class RealPath
{
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        if (full.Length > 1) full = full.TrimEnd(Path.DirectorySeparatorChar);
        // Resolve links component by component, so a link to a folder is seen as that folder.
        var existing = full;
        var rest = new Stack<string>();
        while (!Directory.Exists(existing) && !File.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null) return full;
            rest.Push(Path.GetFileName(existing));
            existing = parent;
        }
        var real = Resolve(existing);
        while (rest.Count > 0) real = Path.Combine(real, rest.Pop());
        return real;
    }

    static string Resolve(string path)
    {
        var result = Path.GetPathRoot(path)!;
        foreach (var part in path[result.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(result, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            result = target is null ? next : Resolve(target.FullName);
        }
        return result;
    }

    /// <summary>True when <paramref name="inner"/> lies strictly inside <paramref name="outer"/> (both real paths).</summary>
    public static bool IsInside(string inner, string outer) =>
        inner.StartsWith(outer.EndsWith(Path.DirectorySeparatorChar) ? outer : outer + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
