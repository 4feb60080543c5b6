using System.Security.Cryptography;
using System.Text;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Which model a run used, as one SHA-256 over the graph files (each file's name, length and bytes, in a
/// fixed order). Two exports of one checkpoint hash alike; anything else — another checkpoint, another
/// export, a graph replaced by hand — does not, whatever folder it sits in.
/// </summary>
public static class ModelIdentity
{
    public static string Sha256(VqVaeModelFolder model)
    {
        string[] graphs = model.HasEncoder ? [model.EncoderPath, model.QuantizerPath, model.DecoderPath] : [model.DecoderPath];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        foreach (var path in graphs)
        {
            using var file = File.OpenRead(path);
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(path)}\n{file.Length}\n"));
            int read;
            while ((read = file.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
