using Microsoft.ML;
using Microsoft.ML.Data;

namespace VqVaeMl.MlNet;

/// <summary>
/// A fitted VQ-VAE pipeline: fitted on an empty data view (nothing in it learns), ready to make
/// prediction engines, and saved to and loaded from an ML.NET model .zip.
/// </summary>
public sealed class VqVaeScoringModel
{
    public MLContext Context { get; }
    public ITransformer Transformer { get; }
    /// <summary>The schema the transformer expects: what Save writes beside it.</summary>
    public DataViewSchema InputSchema { get; }
    /// <summary>Where ONNX Runtime runs the graphs, and why CPU when CUDA was asked for (see ExecutionProviderProbe).</summary>
    public ExecutionProviderChoice Provider { get; }
    /// <summary>"CUDA" or "CPU".</summary>
    public string ExecutionProvider => Provider.Provider;

    VqVaeScoringModel(MLContext context, ITransformer transformer, DataViewSchema inputSchema, ExecutionProviderChoice provider)
    {
        Context = context;
        Transformer = transformer;
        InputSchema = inputSchema;
        Provider = provider;
    }

    /// <summary>The full image pipeline (<see cref="VqVaeCatalog.VqVaePipeline"/>), fitted.</summary>
    public static VqVaeScoringModel ForImages(MLContext context, VqVaeModelFolder model, VqVaePipelineOptions? options = null)
    {
        options ??= VqVaePipelineOptions.Default;
        var provider = ExecutionProviderProbe.Choose(model, options);
        var empty = context.Data.LoadFromEnumerable(Array.Empty<VqVaeImageInput>());
        var transformer = context.Transforms.VqVaePipeline(model, provider.Apply(options)).Fit(empty);
        return new VqVaeScoringModel(context, transformer, empty.Schema, provider);
    }

    /// <summary>The decode-only pipeline (<see cref="VqVaeCatalog.VqVaeDecodePipeline"/>), fitted.</summary>
    public static VqVaeScoringModel ForCodes(MLContext context, VqVaeModelFolder model, VqVaePipelineOptions? options = null)
    {
        options ??= VqVaePipelineOptions.Default;
        var provider = ExecutionProviderProbe.Choose(model, options);
        var empty = context.Data.LoadFromEnumerable(Array.Empty<VqVaeCodesInput>(), VqVaeSchemas.CodesInput(model));
        var transformer = context.Transforms.VqVaeDecodePipeline(model, provider.Apply(options)).Fit(empty);
        return new VqVaeScoringModel(context, transformer, empty.Schema, provider);
    }

    /// <summary>One image at a time (not thread-safe: one engine per thread).</summary>
    public PredictionEngine<VqVaeImageInput, TPrediction> CreateImageEngine<TPrediction>() where TPrediction : class, new() =>
        Context.Model.CreatePredictionEngine<VqVaeImageInput, TPrediction>(Transformer, InputSchema);

    /// <summary>One code grid at a time; the input's vector size comes from the transformer's input schema.</summary>
    public PredictionEngine<VqVaeCodesInput, TPrediction> CreateCodesEngine<TPrediction>() where TPrediction : class, new() =>
        Context.Model.CreatePredictionEngine<VqVaeCodesInput, TPrediction>(Transformer, InputSchema);

    /// <summary>Writes the ML.NET model .zip (graphs embedded) under a temporary name, then renames it into place.</summary>
    public void Save(string zipPath) =>
        AtomicFile.Write(zipPath, stream => Context.Model.Save(Transformer, InputSchema, stream));

    /// <summary>
    /// Loads a .zip written by <see cref="Save"/>. ML.NET takes the graphs' execution provider from the
    /// context (MLContext.GpuDeviceId and FallbackToCpu), so the probe asks about the same; when it settles
    /// on CPU, the context's GpuDeviceId is cleared so ML.NET does not try CUDA once more per graph.
    /// </summary>
    public static VqVaeScoringModel Load(MLContext context, string zipPath)
    {
        var provider = ExecutionProviderProbe.Choose(null, context.GpuDeviceId, context.FallbackToCpu);
        if (!provider.IsCuda) context.GpuDeviceId = null;
        var transformer = context.Model.Load(zipPath, out var inputSchema);
        return new VqVaeScoringModel(context, transformer, inputSchema, provider);
    }
}
