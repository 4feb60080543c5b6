using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Transforms.Onnx;
using ColorBits = Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorBits;
using ColorsOrder = Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorsOrder;

namespace VqVaeMl.MlNet;

/// <summary>
/// The VQ-VAE steps as ML.NET estimators on <c>mlContext.Transforms</c>, configured from the graphs'
/// metadata. Each is plain ML.NET underneath (LoadImages, ResizeImages, ExtractPixels, ApplyOnnxModel,
/// ConvertToImage), so an app can use the one-call <see cref="VqVaePipeline"/> or assemble its own chain.
/// </summary>
public static class VqVaeCatalog
{
    /// <summary>ImagePath → LoadImages → ResizeImages → (grayscale) → ExtractPixels: `image`, planar, 0..1.</summary>
    public static EstimatorChain<ITransformer> VqVaeLoadPixels(this TransformsCatalog catalog,
        VqVaeModelFolder model, VqVaePipelineOptions? options = null) =>
        Chain(LoadPixelSteps(catalog, model, options ?? VqVaePipelineOptions.Default));

    /// <summary>`image` → encoder.onnx → `z_e`.</summary>
    public static OnnxScoringEstimator VqVaeEncode(this TransformsCatalog catalog,
        VqVaeModelFolder model, VqVaePipelineOptions? options = null) =>
        catalog.ApplyGraph(model.EncoderPath, [OnnxContract.Image], [OnnxContract.ZE], options);

    /// <summary>`z_e` → quantizer.onnx → `codes` (and `z_q` when asked: it costs a copy per row).</summary>
    public static OnnxScoringEstimator VqVaeQuantize(this TransformsCatalog catalog,
        VqVaeModelFolder model, VqVaePipelineOptions? options = null, bool withQuantizedLatent = false) =>
        catalog.ApplyGraph(model.QuantizerPath, [OnnxContract.ZE],
            withQuantizedLatent ? [OnnxContract.Codes, OnnxContract.ZQ] : [OnnxContract.Codes], options);

    /// <summary>`codes` → decoder.onnx → `reconstruction` (0..1, planar C·H·W).</summary>
    public static OnnxScoringEstimator VqVaeDecode(this TransformsCatalog catalog,
        VqVaeModelFolder model, VqVaePipelineOptions? options = null) =>
        catalog.ApplyGraph(model.DecoderPath, [OnnxContract.Codes], [OnnxContract.Reconstruction], options);

    /// <summary>
    /// `image` → encoder → quantizer → decoder with every graph's batch dimension fixed at <paramref name="batchSize"/>
    /// (ApplyOnnxModel's shapeDictionary): each row holds a whole batch, `image` a vector of batchSize·C·H·W
    /// values, and each graph runs once per row. ML.NET reads an unknown leading dimension as 1, so a batch
    /// through ApplyOnnxModel has to be a fixed one; a shorter batch is padded to it.
    /// </summary>
    public static EstimatorChain<ITransformer> VqVaeBatchedGraphs(this TransformsCatalog catalog,
        VqVaeModelFolder model, int batchSize, VqVaePipelineOptions? options = null)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be at least 1");
        var c = model.Config;
        var shapes = new Dictionary<string, int[]>
        {
            [OnnxContract.Image] = [batchSize, .. c.ImageShape],
            [OnnxContract.ZE] = [batchSize, .. c.LatentShape],
            [OnnxContract.Codes] = [batchSize, .. c.CodeShape],
            [OnnxContract.ZQ] = [batchSize, .. c.LatentShape],
            [OnnxContract.Reconstruction] = [batchSize, .. c.ImageShape],
        };
        return Chain([
            catalog.ApplyGraph(model.EncoderPath, [OnnxContract.Image], [OnnxContract.ZE], options, shapes),
            catalog.ApplyGraph(model.QuantizerPath, [OnnxContract.ZE], [OnnxContract.Codes], options, shapes),
            catalog.ApplyGraph(model.DecoderPath, [OnnxContract.Codes], [OnnxContract.Reconstruction], options, shapes),
        ]);
    }

    /// <summary>
    /// `reconstruction` → ConvertToImage → an MLImage. ConvertToImage casts each value to a byte and, when it
    /// scales, also zeroes alpha; so values are brought to 0..255 (+0.5 to round) beforehand and it runs
    /// unscaled, and a grey plane is repeated into R, G and B (one plane alone would become a red image).
    /// </summary>
    public static EstimatorChain<ITransformer> VqVaeReconstructionToImage(this TransformsCatalog catalog, VqVaeModelFolder model) =>
        Chain(ToImageSteps(catalog, model));

    /// <summary>
    /// The whole chain for a model folder: LoadImages → ResizeImages → ExtractPixels → encoder →
    /// quantizer → decoder (→ ConvertToImage). Input column <see cref="VqVaeColumns.ImagePath"/>.
    /// </summary>
    public static EstimatorChain<ITransformer> VqVaePipeline(this TransformsCatalog catalog,
        VqVaeModelFolder model, VqVaePipelineOptions? options = null)
    {
        options ??= VqVaePipelineOptions.Default;
        if (!model.HasEncoder)
            throw new InvalidOperationException($"{model.Folder}: opened for decoding only; open it with VqVaeModelFolder.Open to score images");
        IEnumerable<IEstimator<ITransformer>> steps = [
            .. LoadPixelSteps(catalog, model, options),
            catalog.VqVaeEncode(model, options),
            catalog.VqVaeQuantize(model, options),
            catalog.VqVaeDecode(model, options),
        ];
        return Chain(options.ReconstructionImage ? steps.Concat(ToImageSteps(catalog, model)) : steps);
    }

    /// <summary>Decode only: `codes` (int64, h·w) → decoder → `reconstruction` (→ ConvertToImage).</summary>
    public static EstimatorChain<ITransformer> VqVaeDecodePipeline(this TransformsCatalog catalog,
        VqVaeModelFolder model, VqVaePipelineOptions? options = null)
    {
        options ??= VqVaePipelineOptions.Default;
        IEnumerable<IEstimator<ITransformer>> steps = [catalog.VqVaeDecode(model, options)];
        return Chain(options.ReconstructionImage ? steps.Concat(ToImageSteps(catalog, model)) : steps);
    }

    static IEnumerable<IEstimator<ITransformer>> LoadPixelSteps(TransformsCatalog catalog, VqVaeModelFolder model, VqVaePipelineOptions options)
    {
        var c = model.Config;
        yield return catalog.LoadImages(VqVaeColumns.LoadedImage, options.ImageFolder, VqVaeColumns.ImagePath);
        yield return catalog.ResizeImages(VqVaeColumns.ResizedImage, c.Width, c.Height, VqVaeColumns.LoadedImage, options.Resizing);
        var source = VqVaeColumns.ResizedImage;
        if (c.Channels == 1)
        {
            // Luminance first, so a colour file given to a grey model is read as a grey one would be.
            yield return catalog.ConvertToGrayscale(VqVaeColumns.GrayImage, VqVaeColumns.ResizedImage);
            source = VqVaeColumns.GrayImage;
        }
        yield return catalog.ExtractPixels(OnnxContract.Image, source,
            colorsToExtract: c.Channels == 1 ? ColorBits.Red : ColorBits.Rgb,
            orderOfExtraction: ColorsOrder.ARGB, interleavePixelColors: false, scaleImage: 1f / 255f);
    }

    static IEnumerable<IEstimator<ITransformer>> ToImageSteps(TransformsCatalog catalog, VqVaeModelFolder model)
    {
        var c = model.Config;
        const string bytes = VqVaeColumns.ReconstructionRgb + "_0to255";
        yield return catalog.Expression(bytes, "x => x * 255 + 0.5", OnnxContract.Reconstruction);
        yield return c.Channels == 1
            ? catalog.Concatenate(VqVaeColumns.ReconstructionRgb, bytes, bytes, bytes)
            : catalog.CopyColumns(VqVaeColumns.ReconstructionRgb, bytes);
        yield return catalog.ConvertToImage(c.Height, c.Width, VqVaeColumns.ReconstructionImage, VqVaeColumns.ReconstructionRgb,
            colorsPresent: ColorBits.Rgb, orderOfColors: ColorsOrder.ARGB, interleavedColors: false);
    }

    /// <summary>One flat chain, so a saved model reads as the list of its steps.</summary>
    static EstimatorChain<ITransformer> Chain(IEnumerable<IEstimator<ITransformer>> steps) =>
        steps.Aggregate(new EstimatorChain<ITransformer>(), (chain, step) => chain.Append(step));

    static OnnxScoringEstimator ApplyGraph(this TransformsCatalog catalog, string modelFile,
        string[] inputs, string[] outputs, VqVaePipelineOptions? options, IDictionary<string, int[]>? shapes = null)
    {
        options ??= VqVaePipelineOptions.Default;
        // ML.NET's own refusal is a long stack of wrapped ORT errors, its fallback prints ORT's native log
        // and with the CPU runtime package it throws: ask first, and ask ML.NET for CUDA only when it starts.
        options = ExecutionProviderProbe.Choose(modelFile, options.GpuDeviceId, options.FallbackToCpu, options.NativeLog).Apply(options);
        return catalog.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = modelFile,
            InputColumns = inputs,
            OutputColumns = outputs,
            GpuDeviceId = options.GpuDeviceId,
            FallbackToCpu = options.FallbackToCpu,
            IntraOpNumThreads = options.IntraOpThreads,
            ShapeDictionary = shapes,
        });
    }
}
