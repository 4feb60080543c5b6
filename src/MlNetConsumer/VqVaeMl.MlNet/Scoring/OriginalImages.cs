using Microsoft.ML;

namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// The images a codes.csv was made from, for `decode --originals`: each row's path read from this folder by
/// the pipeline's own image steps (resized as `score` resized it), so decode measures what score measured.
/// Read only; nothing is written here.
/// </summary>
public sealed class OriginalImages
{
    readonly PixelLoader loader;

    public string Folder { get; }

    public OriginalImages(string folder, VqVaeModelFolder model)
    {
        Folder = Path.GetFullPath(folder);
        if (!Directory.Exists(Folder)) throw new DirectoryNotFoundException($"{Folder}: originals folder not found");
        var options = VqVaePipelineOptions.Default with { ReconstructionImage = false };
        loader = new PixelLoader(new MLContext(seed: 0), model, options);
    }

    /// <summary>The original of <paramref name="relativePath"/> into <paramref name="pixels"/> (C·H·W, 0..1); null, or why it cannot be read.</summary>
    public string? Load(string relativePath, Span<float> pixels)
    {
        var path = Path.Combine(Folder, relativePath);
        if (!File.Exists(path)) return $"no original at {path}";
        return loader.Load(path, pixels) is { } problem ? $"original {path}: {problem}" : null;
    }
}
