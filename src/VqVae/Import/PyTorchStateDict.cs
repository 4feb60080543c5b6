using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Import;

/// <summary>
/// A state dict of the reference post's patch model as PyTorch saves it, <c>torch.save(model.state_dict(), path)</c>
/// (the zip format) or a safetensors file, read with TorchSharp.PyBridge. The post's module names
/// (encoder.cnn, encoder.linear, decoder.cnn, decoder.linear, codebook) are the patch model's own, so the keys
/// map one to one; the shapes give D, K, p and C.
/// </summary>
public sealed class PyTorchStateDict : IDisposable
{
    /// <summary>The keys whose shapes say the model's sizes: codebook.weight [K, D] and encoder.cnn.weight [D, C, p, p].</summary>
    public const string CodebookKey = "codebook.weight";
    public const string EncoderConvKey = "encoder.cnn.weight";

    readonly Dictionary<string, Tensor> tensors;

    public string Path { get; }
    public IReadOnlyDictionary<string, Tensor> Tensors => tensors;

    PyTorchStateDict(string path, Dictionary<string, Tensor> tensors)
    {
        Path = path;
        this.tensors = tensors;
    }

    /// <summary>Reads the file; a file that is not a state dict is named in one line.</summary>
    public static PyTorchStateDict Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no such state-dict file");
        var safetensors = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
        if (!safetensors && !IsZip(path))
            throw new InvalidDataException($"{path}: not a state dict saved by torch.save (not a zip file; a file in the legacy format before PyTorch 1.6 must be saved again)");
        try
        {
            var read = safetensors ? Safetensors.LoadStateDict(path) : FromTable(PyTorchUnpickler.UnpickleStateDict(path));
            return new PyTorchStateDict(path, read);
        }
        catch (NotImplementedException e)
        {
            // PyBridge's words for a whole pickled model (torch.save(model) rather than its state_dict()).
            throw new InvalidDataException($"{path}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidCastException or InvalidOperationException
            or KeyNotFoundException or ArgumentException or System.Text.Json.JsonException or Razorvine.Pickle.PickleException)
        {
            var what = safetensors ? "a safetensors file" : "a state dict saved by torch.save (zip format)";
            throw new InvalidDataException($"{path}: not {what} ({e.Message.ReplaceLineEndings(" ")})");
        }
    }

    static bool IsZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual("PK\u0003\u0004"u8);
    }

    static Dictionary<string, Tensor> FromTable(Hashtable table)
    {
        var read = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table) read[(string)entry.Key] = (Tensor)entry.Value!;
        return read;
    }

    /// <summary>The sizes the tensors themselves give: (D, K, p, C) from codebook.weight and encoder.cnn.weight.</summary>
    public (int HiddenSize, int CodebookSize, int PatchSize, int Channels) Sizes()
    {
        var codebook = Require(CodebookKey, 2, "[K, D]");
        var conv = Require(EncoderConvKey, 4, "[D, C, p, p]");
        if (conv.shape[2] != conv.shape[3])
            throw new InvalidDataException($"{Path}: '{EncoderConvKey}' is {Shape(conv)}: the post's patch convolution has a square p×p kernel");
        return ((int)codebook.shape[1], (int)codebook.shape[0], (int)conv.shape[2], (int)conv.shape[1]);
    }

    Tensor Require(string key, int rank, string expected)
    {
        if (!tensors.TryGetValue(key, out var t))
            throw new InvalidDataException($"{Path}: missing key '{key}' (expected {expected}; keys: {string.Join(", ", tensors.Keys.Order(StringComparer.Ordinal))})");
        if (t.shape.Length != rank) throw new InvalidDataException($"{Path}: '{key}' is {Shape(t)}, expected {expected}");
        return t;
    }

    /// <summary>
    /// Puts the weights into <paramref name="model"/>, a patch VQ model built for the sizes: every key of the post's
    /// model must be there with the model's shape, and nothing else. The codebook's training buffers (EMA
    /// statistics, usage), which the post has no use for, start as a fresh run's do from the imported codes.
    /// </summary>
    public void LoadInto(VqVaeModel model)
    {
        var expected = ExpectedShapes(model);
        foreach (var (key, shape) in expected)
        {
            if (!tensors.TryGetValue(key, out var t))
                throw new InvalidDataException($"{Path}: missing key '{key}' (expected [{string.Join(", ", shape)}])");
            if (!t.shape.SequenceEqual(shape))
                throw new InvalidDataException($"{Path}: '{key}' is {Shape(t)}, expected [{string.Join(", ", shape)}] for {Describe(model.Config)}");
            if (!t.is_floating_point())
                throw new InvalidDataException($"{Path}: '{key}' holds {t.dtype}, expected floating-point weights");
        }
        var extra = tensors.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
            throw new InvalidDataException($"{Path}: unexpected key{(extra.Count > 1 ? "s" : "")} {string.Join(", ", extra.Select(k => $"'{k}' {Shape(tensors[k])}"))} "
                + $"(the post's patch model has {string.Join(", ", expected.Keys)})");

        using var _ = no_grad();
        var weights = expected.Keys.Where(k => k != CodebookKey).ToDictionary(k => k, k => tensors[k].to(ScalarType.Float32));
        var (_, unexpected) = model.load_state_dict(weights, strict: false);
        if (unexpected.Count > 0) throw new InvalidOperationException($"the patch model has no {string.Join(", ", unexpected)}");
        model.codebook.Assign(tensors[CodebookKey].to(ScalarType.Float32));
    }

    /// <summary>The post's keys in the model: its parameters, less the codebook's training buffers.</summary>
    static Dictionary<string, long[]> ExpectedShapes(VqVaeModel model)
    {
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        return model.state_dict().Where(e => parameters.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value.shape);
    }

    static string Describe(ModelConfig c) => $"C={c.Channels}, p={c.PatchSize}, D={c.HiddenSize}, K={c.CodebookSize}";

    static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";

    public void Dispose()
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
