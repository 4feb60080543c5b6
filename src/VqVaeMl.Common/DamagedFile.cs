using System.Text.Json;

namespace VqVaeMl.Common;

/// <summary>
/// Plain words for a checkpoint file that cannot be read: which file, what is wrong with it, and what to
/// do, instead of the stream or JSON reader's own wording.
/// </summary>
public static class DamagedFile
{
    /// <summary>A weights file that is cut short or does not fit the model its configuration describes.</summary>
    public static InvalidDataException Weights(string path, string configFile, Exception e, string remedy) =>
        new(e is EndOfStreamException || e.Message.Contains("end of the stream", StringComparison.Ordinal)
            ? $"{path}: damaged (cut short or overwritten), its weights cannot be read; {remedy}"
            : $"{path}: its weights do not match the model {configFile} describes; {remedy}");

    /// <summary>
    /// Reads a saved weights or optimizer file with <paramref name="read"/>; a missing, cut-off or garbled
    /// one is named in one line with <paramref name="remedy"/>.
    /// </summary>
    public static void Read(string path, Action<string> read, string remedy)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: missing, the checkpoint is incomplete; {remedy}");
        try { read(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: damaged (cut short or overwritten), it cannot be read; {remedy}");
        }
    }

    /// <summary>A configuration file that ends early or is not JSON.</summary>
    public static InvalidDataException Json(string path, string what, JsonException e) =>
        new($"{path}: damaged, not a whole {what} (it ends early or is not JSON{(e.LineNumber is long line ? $"; line {line + 1}" : "")})");
}
