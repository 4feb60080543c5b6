using Microsoft.ML.OnnxRuntime;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Generation;

/// <summary>Sampled code maps [Count, h, w] (row-major), their class labels when conditional, and the decoded images [Count, C, H, W].</summary>
public sealed record SampleBatch(int Count, long[] Codes, long[]? Labels, float[] Images);

/// <summary>
/// New images from an exported model folder through ONNX Runtime alone: prior.onnx draws code maps
/// position by position in raster order — one run per position for the whole batch, softmax with a
/// temperature, a seeded generator so a seed always gives the same codes — and decoder.onnx turns
/// them into images.
/// </summary>
public sealed class PriorSampler : IDisposable
{
    readonly InferenceSession prior;
    readonly InferenceSession decoder;

    public VqVaeModelFolder Model { get; }
    public PriorConfig Config { get; }
    public string PriorPath { get; }

    PriorSampler(VqVaeModelFolder model, string priorPath, InferenceSession prior, InferenceSession decoder, PriorConfig config)
    {
        Model = model;
        PriorPath = priorPath;
        this.prior = prior;
        this.decoder = decoder;
        Config = config;
    }

    /// <summary>Opens prior.onnx and decoder.onnx in a model folder (or its onnx/); throws InvalidDataException naming the file and the problem.</summary>
    /// <param name="threads">ONNX Runtime intra-op threads (null: one per physical core).</param>
    public static PriorSampler Open(string path, int? threads = null)
    {
        var model = VqVaeModelFolder.OpenDecoder(path);
        // The prior draws one code per position; a decoder whose quantizer holds more per position cannot use them.
        if (!model.Config.QuantizerDescriptor.PriorCanModel)
            throw new InvalidDataException(
                $"{model.DecoderPath}: a model with {model.Config.QuantizerDescriptor.Describe(model.Config)} ({model.CodesPerPosition} codes per position) cannot be sampled: the prior draws one code per position");
        var priorPath = Path.Combine(model.Folder, OnnxContract.PriorFile);
        if (!File.Exists(priorPath))
            throw new InvalidDataException($"{priorPath}: missing (train a prior with `vqvae-train prior`, then export the run again)");
        using var options = OrtSessionSettings.Create(ExecutionProviderProbe.Cpu, new VqVaePipelineOptions { IntraOpThreads = threads }, spinning: false);
        InferenceSession priorSession;
        try { priorSession = new InferenceSession(priorPath, options); }
        catch (OnnxRuntimeException e) { throw new InvalidDataException($"{priorPath}: not a readable ONNX graph ({e.Message})"); }
        try
        {
            var metadata = priorSession.ModelMetadata.CustomMetadataMap;
            if (!metadata.TryGetValue(OnnxContract.PriorMetadataKey, out var json))
                throw new InvalidDataException($"{priorPath}: no '{OnnxContract.PriorMetadataKey}' metadata: not a prior exported by vqvae-export");
            var config = PriorInfo.FromJson(json, priorPath).Prior;
            var m = model.Config;
            if (config.CodebookSize != m.CodebookSize || config.Height != m.LatentHeight || config.Width != m.LatentWidth)
                throw new InvalidDataException(
                    $"{priorPath}: models {config.Height}×{config.Width} maps of {config.CodebookSize} codes, but {OnnxContract.DecoderFile} decodes {m.LatentHeight}×{m.LatentWidth} maps of {m.CodebookSize}");
            var decoderSession = new InferenceSession(model.DecoderPath, options);
            return new PriorSampler(model, priorPath, priorSession, decoderSession, config);
        }
        catch { priorSession.Dispose(); throw; }
    }

    /// <summary>
    /// Memory one sample takes while the maps are drawn (all of them run through prior.onnx at once):
    /// its codes, the prior's logits for every code at every position, and its decoded image.
    /// </summary>
    public double BytesPerSample => Config.CodeCount * (8.0 + 4.0 * Config.CodebookSize) + 4.0 * 2 * Model.PixelCount;

    /// <summary>The length one sample adds to the largest array the sampler holds (the logits).</summary>
    public long ElementsPerSample => (long)Config.CodeCount * Config.CodebookSize;

    /// <summary>Draws <paramref name="count"/> code maps and decodes them.</summary>
    /// <param name="label">the class of every map; null for an unconditional prior, or for a conditional one to cycle through the classes.</param>
    public SampleBatch Sample(int count, int? label = null, double temperature = 1.0, int seed = 0)
    {
        var labels = Labels(count, label);
        var codes = SampleCodes(count, labels, temperature, seed);
        return new SampleBatch(count, codes, labels, Decode(codes, count));
    }

    /// <summary>The code maps alone, [count, h, w] row-major.</summary>
    public long[] SampleCodes(int count, long[]? labels, double temperature, int seed)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentException($"temperature must be a positive number, not {temperature}");
        var c = Config;
        int positions = c.CodeCount, k = c.CodebookSize;
        var codes = new long[count * positions];
        var random = new Random(seed);
        var probabilities = new double[k];
        // The input tensors wrap the arrays: each drawn code is in place for the next run.
        var names = new List<string> { OnnxContract.Codes };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(codes, new long[] { count, c.Height, c.Width }) };
        if (labels is not null)
        {
            names.Add(OnnxContract.Label);
            values.Add(OrtValue.CreateTensorValueFromMemory(labels, new long[] { count }));
        }
        try
        {
            using var runOptions = new RunOptions();
            string[] outputs = [OnnxContract.Logits];
            for (int position = 0; position < positions; position++)
            {
                using var results = prior.Run(runOptions, names, values, outputs);
                var logits = results[0].GetTensorDataAsSpan<float>();                 // [N, K, h, w]
                for (int n = 0; n < count; n++)
                    codes[n * positions + position] = Draw(logits, n, position, k, positions, temperature, probabilities, random);
            }
        }
        finally { foreach (var v in values) v.Dispose(); }
        return codes;
    }

    /// <summary>Code maps [count, h, w] → images [count, C, H, W] in 0..1 with decoder.onnx.</summary>
    public float[] Decode(long[] codes, int count, int batchSize = 256)
    {
        var c = Model.Config;
        int positions = Config.CodeCount, pixels = Model.PixelCount;
        var images = new float[count * pixels];
        using var runOptions = new RunOptions();
        string[] inputs = [OnnxContract.Codes], outputs = [OnnxContract.Reconstruction];
        for (int start = 0; start < count; start += batchSize)
        {
            int n = Math.Min(batchSize, count - start);
            var slice = codes.AsMemory(start * positions, n * positions);
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, slice, new long[] { n, c.LatentHeight, c.LatentWidth });
            using var results = decoder.Run(runOptions, inputs, [value], outputs);
            results[0].GetTensorDataAsSpan<float>().CopyTo(images.AsSpan(start * pixels, n * pixels));
        }
        return images;
    }

    long[]? Labels(int count, int? label)
    {
        if (count < 1) throw new ArgumentException($"count must be at least 1, not {count}");
        if (!Config.IsConditional)
            return label is null ? null : throw new ArgumentException($"label {label}: {PriorPath} is not class-conditional");
        if (label is int l && (l < 0 || l >= Config.ClassCount))
            throw new ArgumentException($"label {l}: the prior knows classes 0..{Config.ClassCount - 1}");
        return Enumerable.Range(0, count).Select(i => (long)(label ?? i % Config.ClassCount)).ToArray();
    }

    /// <summary>One code from softmax(logits / T) at a position of map n, by inverse CDF on one uniform draw.</summary>
    static long Draw(ReadOnlySpan<float> logits, int n, int position, int k, int positions, double temperature, double[] p, Random random)
    {
        int first = n * k * positions + position;
        double max = double.NegativeInfinity;
        for (int code = 0; code < k; code++) max = Math.Max(max, logits[first + code * positions] / temperature);
        double sum = 0;
        for (int code = 0; code < k; code++) sum += p[code] = Math.Exp(logits[first + code * positions] / temperature - max);
        double u = random.NextDouble() * sum;
        for (int code = 0; code < k - 1; code++)
        {
            u -= p[code];
            if (u < 0) return code;
        }
        return k - 1;
    }

    public void Dispose()
    {
        prior.Dispose();
        decoder.Dispose();
    }
}
