namespace VqVaeMl.MlNet.Scoring;

/// <summary>Fills a batch's pixel rows from image files, as the pipeline's image steps would.</summary>
internal interface IPixelLoader
{
    /// <summary>Each file's pixels (C·H·W, 0..1) into its row of <paramref name="batch"/>, or the reason it cannot be scored.</summary>
    void Load(IReadOnlyList<string> paths, ImageBatch batch);
}
