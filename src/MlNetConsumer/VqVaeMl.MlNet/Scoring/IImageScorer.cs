namespace VqVaeMl.MlNet.Scoring;

/// <summary>Scores image files a group at a time; what <see cref="FolderScorer"/> streams a folder through. Disposing frees its engine and sessions.</summary>
public interface IImageScorer : IDisposable
{
    /// <summary>The most files one <see cref="Score"/> call takes.</summary>
    int BatchSize { get; }
    /// <summary>Where ONNX Runtime runs the graphs, and why CPU when CUDA was asked for.</summary>
    ExecutionProviderChoice Provider { get; }
    /// <summary>"CUDA" or "CPU".</summary>
    string ExecutionProvider => Provider.Provider;
    /// <summary>
    /// Scores up to <see cref="BatchSize"/> files (full paths). A file that fails is reported in the batch
    /// and the others are still scored. The batch is reused by the next call.
    /// </summary>
    ImageBatch Score(IReadOnlyList<string> paths);
}
