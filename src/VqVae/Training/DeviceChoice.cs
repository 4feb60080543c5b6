using static TorchSharp.torch;

namespace VqVae.Training;

public static class DeviceChoice
{
    /// <summary>auto → CUDA when libtorch sees a GPU (a CUDA build of the project is needed for that), else CPU.</summary>
    public static Device Resolve(string name) => name switch
    {
        "auto" => cuda.is_available() ? CUDA : CPU,
        "cpu" => CPU,
        "cuda" => cuda.is_available()
            ? CUDA
            : throw new InvalidOperationException("--device cuda: libtorch sees no CUDA device (build with -p:TorchBackend=cuda on a machine with a GPU; see README)"),
        _ => throw new ArgumentException($"--device must be auto, cpu or cuda, not '{name}'"),
    };
}
