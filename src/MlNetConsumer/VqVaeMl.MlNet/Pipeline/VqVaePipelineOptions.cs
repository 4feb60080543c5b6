using Microsoft.ML.Transforms.Image;

namespace VqVaeMl.MlNet;

/// <summary>How the pipeline runs its graphs and reads its images; the defaults run anywhere.</summary>
public sealed record VqVaePipelineOptions
{
    /// <summary>CUDA device to ask ONNX Runtime for; null runs on CPU.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>When the CUDA provider cannot start: true runs on CPU, false refuses (ExecutionProviderException).</summary>
    public bool FallbackToCpu { get; init; } = true;

    /// <summary>
    /// Let ONNX Runtime print its native log while the CUDA provider is tried (its reasons in detail);
    /// off, a failed try gives one line in <see cref="ExecutionProviderChoice.FallbackReason"/>.
    /// </summary>
    public bool NativeLog { get; init; }

    /// <summary>Folder that relative image paths are resolved against; null takes paths as given.</summary>
    public string? ImageFolder { get; init; }

    /// <summary>How an image of another size is brought to the model's: stretched by default, as a digit or sprite should be.</summary>
    public ImageResizingEstimator.ResizingKind Resizing { get; init; } = ImageResizingEstimator.ResizingKind.Fill;

    /// <summary>
    /// ONNX Runtime's intra-op threads for each graph; null leaves ONNX Runtime's default (one per physical
    /// core). Used by the ML.NET steps and by <see cref="Scoring.BatchedImageScorer"/> alike.
    /// </summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>Add the ConvertToImage step (an MLImage of the reconstruction); off when only numbers are wanted.</summary>
    public bool ReconstructionImage { get; init; } = true;

    public static VqVaePipelineOptions Default { get; } = new();
}
