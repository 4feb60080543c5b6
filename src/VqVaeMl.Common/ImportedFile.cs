using System.Security.Cryptography;

namespace VqVaeMl.Common;

/// <summary>One file a model was imported from, as given and by content, so the import can be traced and repeated.</summary>
/// <param name="Role">What the file was to the import (state-dict, encoder, decoder, codebook).</param>
public sealed record ImportedFile(string Role, string Path, string Sha256)
{
    /// <summary>The file's full path and the SHA-256 of its bytes (lower-case hex).</summary>
    public static ImportedFile Of(string role, string path)
    {
        using var stream = File.OpenRead(path);
        return new ImportedFile(role, System.IO.Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}
