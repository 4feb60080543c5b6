using Microsoft.ML;

namespace VqVae.MlNetConsumer.Scoring;

/// <summary>
/// Image file → the encoder's input pixels, by the pipeline's own steps (<see cref="VqVaeCatalog.VqVaeLoadPixels"/>:
/// LoadImages → ResizeImages → (grey) → ExtractPixels) fitted alone and run through a PredictionEngine,
/// after the file passed <see cref="ImageFileCheck"/>. One thread at a time, as its engine.
/// </summary>
internal sealed class PixelLoader : IDisposable
{
    readonly PredictionEngine<VqVaeImageInput, VqVaePixels> engine;
    readonly VqVaeImageInput input = new();
    VqVaePixels output = new();
    readonly int pixelCount;

    public PixelLoader(MLContext context, VqVaeModelFolder model, VqVaePipelineOptions options)
    {
        var empty = context.Data.LoadFromEnumerable(Array.Empty<VqVaeImageInput>());
        var steps = context.Transforms.VqVaeLoadPixels(model, options).Fit(empty);
        engine = context.Model.CreatePredictionEngine<VqVaeImageInput, VqVaePixels>(steps, empty.Schema);
        pixelCount = model.PixelCount;
    }

    /// <summary>Fills <paramref name="pixels"/> (C·H·W, 0..1) from the file; null, or why the file cannot be scored.</summary>
    public string? Load(string path, Span<float> pixels)
    {
        var problem = ImageFileCheck.Problem(path);
        if (problem is not null) return problem;
        input.ImagePath = path;
        try
        {
            // Predict(input, ref output) refills the same array: no allocation per image for the vector.
            engine.Predict(input, ref output);
        }
        catch (Exception e) when (IsFileFailure(e))
        {
            return $"the pipeline failed: {VqVaeModelFolder.FirstLine(e.Message)}";
        }
        if (output.Pixels.Length != pixelCount)
            throw new InvalidOperationException($"the image steps gave {output.Pixels.Length} values for {path}; the encoder takes {pixelCount}");
        output.Pixels.CopyTo(pixels);
        return null;
    }

    /// <summary>What reading or decoding one file can throw in ML.NET's image steps (say, a file gone since the check).</summary>
    internal static bool IsFileFailure(Exception e) =>
        e is InvalidOperationException or ArgumentException or FormatException or IOException or UnauthorizedAccessException;

    public void Dispose() => engine.Dispose();
}
