using Microsoft.ML;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// The fitted ML.NET pipeline through a PredictionEngine, one image per call: ML.NET's own way of
/// scoring, kept as `score --batch-size 1` and as the reference the batched path is tested against.
/// </summary>
public sealed class RowImageScorer : IImageScorer
{
    readonly PredictionEngine<VqVaeImageInput, VqVaePrediction> engine;
    readonly VqVaeImageInput input = new();
    VqVaePrediction prediction = new();
    readonly ImageBatch batch;

    public RowImageScorer(VqVaeScoringModel scoring, VqVaeModelFolder model)
    {
        engine = scoring.CreateImageEngine<VqVaePrediction>();
        Provider = scoring.Provider;
        batch = new ImageBatch(1, model.PixelCount, model.CodeCount);
    }

    public int BatchSize => 1;
    public ExecutionProviderChoice Provider { get; }
    public string ExecutionProvider => Provider.Provider;

    public ImageBatch Score(IReadOnlyList<string> paths)
    {
        batch.Reset(paths.Count);
        if (paths.Count == 0) return batch;
        var problem = ImageFileCheck.Problem(paths[0]);
        if (problem is null)
        {
            input.ImagePath = paths[0];
            try
            {
                // Predict(input, ref output) refills the same arrays: no allocation per image for the vectors.
                engine.Predict(input, ref prediction);
            }
            catch (Exception e) when (PixelLoader.IsFileFailure(e))
            {
                problem = $"the pipeline failed: {VqVaeModelFolder.FirstLine(e.Message)}";
            }
        }
        if (problem is not null)
        {
            batch.Fail(0, problem);
            return batch;
        }
        prediction.Pixels.CopyTo(batch.LoadRow(0));
        batch.Pack();
        prediction.Codes.CopyTo(batch.CodeRows.Span);
        prediction.Reconstruction.CopyTo(batch.ReconstructionRows.Span);
        return batch;
    }

    public void Dispose() => engine.Dispose();
}
