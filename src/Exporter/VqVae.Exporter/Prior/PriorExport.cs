using Onnx;
using VqVae.Checkpoints;
using VqVae.Prior;

namespace VqVae.Exporter.Prior;

/// <summary>Finds a training run's prior (RUN/prior) and builds its graph for the VQ-VAE it was trained on.</summary>
public static class PriorExport
{
    /// <summary>The prior folder of a training output folder, or null when it has none.</summary>
    public static string? FindPrior(string runPath)
    {
        var folder = Path.Combine(runPath, PriorCheckpoint.DefaultFolder);
        return Directory.Exists(folder) ? folder : null;
    }

    /// <summary>prior.onnx's graph, refused when the prior models another code map or codebook than <paramref name="vqvae"/>'s.</summary>
    public static ModelProto Graph(string priorPath, CheckpointInfo vqvae)
    {
        var (prior, info) = PriorCheckpoint.Load(priorPath);
        using (prior)
        {
            CheckMatches(priorPath, info.Prior, vqvae.Model);
            return PriorGraph.Build(prior, info, vqvae);
        }
    }

    public static void CheckMatches(string priorPath, PriorConfig prior, ModelConfig model)
    {
        if (prior.CodebookSize != model.CodebookSize || prior.Height != model.LatentHeight || prior.Width != model.LatentWidth)
            throw new InvalidDataException(
                $"{priorPath}: the prior models {prior.Height}×{prior.Width} maps of {prior.CodebookSize} codes, but the VQ-VAE makes {model.LatentHeight}×{model.LatentWidth} maps of {model.CodebookSize}");
    }
}
