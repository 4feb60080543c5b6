using Microsoft.ML;
using Microsoft.ML.Data;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Image files → the encoder's input pixels, by the pipeline's own steps (<see cref="VqVaeCatalog.VqVaeLoadPixels"/>:
/// LoadImages → ResizeImages → (grey) → ExtractPixels) fitted alone, a batch at a time through one row
/// cursor and the steps' row mapper, after each file passed <see cref="ImageFileCheck"/>. One thread.
/// </summary>
/// <remarks>
/// A cursor, not a PredictionEngine, so that the images' lifetime is ours to end per batch: ML.NET's image getters
/// dispose a row's MLImage when they make the next row's, and disposing the mapped row at the end of the
/// batch runs the steps' disposers, which free the last row's — no decoded or resized image of a batch outlives it. (ConvertToGrayscale still
/// leaves one bitmap per image to the finalizer: ML.NET's MLImage.CloneWithGrayscale (5.0.1 and 6.0.0) allocates an
/// SKBitmap it never uses nor disposes, out of any caller's reach.)
/// </remarks>
internal sealed class PixelLoader : IPixelLoader
{
    // The cursor reads this list: refilled for each batch, enumerated anew by each cursor.
    readonly List<VqVaeImageInput> rows = [];
    readonly List<int> rowFiles = [];
    readonly IDataView source;
    readonly IRowToRowMapper steps;
    readonly DataViewSchema.Column pixelColumn;
    readonly int pixelCount;
    VBuffer<float> buffer;
    ImageBatch? single;

    public PixelLoader(MLContext context, VqVaeModelFolder model, VqVaePipelineOptions options)
    {
        source = context.Data.LoadFromEnumerable(rows);
        // The fitted steps as a row mapper over the source's cursor, not a transformed view: the image steps
        // stay on the scoring thread, one row at a time, as the PredictionEngine ran them (a transformed
        // view's cursor splits them over worker threads for each batch: ML.NET's parallel cursors).
        ITransformer fitted = context.Transforms.VqVaeLoadPixels(model, options).Fit(source);
        steps = fitted.GetRowToRowMapper(source.Schema);
        pixelColumn = steps.OutputSchema[OnnxContract.Image];
        pixelCount = model.PixelCount;
    }

    /// <summary>Each file's pixels (C·H·W, 0..1) into its row of <paramref name="batch"/>, or the reason it cannot be scored.</summary>
    public void Load(IReadOnlyList<string> paths, ImageBatch batch)
    {
        rows.Clear();
        rowFiles.Clear();
        for (int i = 0; i < paths.Count; i++)
        {
            if (ImageFileCheck.Problem(paths[i]) is { } problem) batch.Fail(i, problem);
            else
            {
                rows.Add(new VqVaeImageInput { ImagePath = paths[i] });
                rowFiles.Add(i);
            }
        }
        if (rows.Count == 0) return;

        // Only the pixel column is asked for: ML.NET computes the image columns it depends on, one row at a time.
        // Disposing the row runs the steps' disposers, which free the last row's images.
        using var cursor = source.GetRowCursor(source.Schema);
        using var mapped = steps.GetRow(cursor, [pixelColumn]);
        var getPixels = mapped.GetGetter<VBuffer<float>>(pixelColumn);
        int row = 0;
        while (cursor.MoveNext())
        {
            int file = rowFiles[row++];
            try
            {
                getPixels(ref buffer);
            }
            catch (Exception e) when (IsFileFailure(e))
            {
                batch.Fail(file, $"the pipeline failed: {VqVaeModelFolder.FirstLine(e.Message)}");
                continue;
            }
            var values = buffer.GetValues();
            if (values.Length != pixelCount)
                throw new InvalidOperationException($"the image steps gave {values.Length} values for {paths[file]}; the encoder takes {pixelCount}");
            values.CopyTo(batch.LoadRow(file));
        }
        if (row != rows.Count) throw new InvalidOperationException($"the image steps gave {row} rows for {rows.Count} files");
    }

    /// <summary>One file's pixels into <paramref name="pixels"/>; null, or why the file cannot be scored.</summary>
    public string? Load(string path, Span<float> pixels)
    {
        single ??= new ImageBatch(1, pixelCount, codeCount: 1);
        single.Reset(1);
        Load([path], single);
        if (single.Problem(0) is { } problem) return problem;
        single.LoadRow(0).CopyTo(pixels);
        return null;
    }

    /// <summary>
    /// The batched scorers' loader: Skia directly where it gives the image steps' pixels (<see cref="SkiaPixelLoader.Covers"/>),
    /// the fitted ML.NET steps otherwise.
    /// </summary>
    public static IPixelLoader ForBatches(MLContext context, VqVaeModelFolder model, VqVaePipelineOptions options) =>
        SkiaPixelLoader.Covers(options) ? new SkiaPixelLoader(model, options) : new PixelLoader(context, model, options);

    /// <summary>What reading or decoding one file can throw in ML.NET's image steps (say, a file gone since the check).</summary>
    internal static bool IsFileFailure(Exception e) =>
        e is InvalidOperationException or ArgumentException or FormatException or IOException or UnauthorizedAccessException;
}
