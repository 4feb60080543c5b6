namespace VqVaeMl.Common;

/// <summary>
/// The guard for a command that writes one file (a chart) instead of a folder: the file may not be or lie inside
/// one of the command's inputs, and an existing file is never replaced, since no manifest can tell the command's
/// own earlier file from a user's.
/// </summary>
public static class OutputFile
{
    /// <summary>Returns the file's full path, or throws <see cref="OutputRefusedException"/>.</summary>
    /// <param name="option">The option that named the file, for the messages.</param>
    public static string Check(string path, string option, IEnumerable<(string Option, string Path)> inputs)
    {
        var full = OutputFolder.RefuseOverlap(path, inputs, outputOption: option);
        if (Directory.Exists(full)) throw new OutputRefusedException($"{option} {full} is a folder; name a new file");
        if (File.Exists(full)) throw new OutputRefusedException($"{option} {full} already exists; name a new file (an existing one is never replaced)");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder)) throw new OutputRefusedException($"{option} {path}: folder {folder} does not exist");
        return full;
    }
}
