using VqVae.Checkpoints;
using static TorchSharp.torch;

namespace VqVae.Training;

public static class DeviceChoice
{
    /// <summary>auto → CUDA when libtorch sees a GPU (a CUDA build of the project is needed for that), else CPU.</summary>
    public static Device Resolve(ComputeDevice choice) => choice switch
    {
        ComputeDevice.Auto => cuda.is_available() ? CUDA : CPU,
        ComputeDevice.Cpu => CPU,
        ComputeDevice.Cuda => cuda.is_available()
            ? CUDA
            : throw new InvalidOperationException("--device cuda: libtorch sees no CUDA device (build with -p:TorchBackend=cuda on a machine with a GPU; see docs/PACKAGES.md)"),
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "unknown device"),
    };

    /// <summary>What a resolved libtorch device is, as the checkpoint records it.</summary>
    public static ComputeDevice Of(Device device) => device.type == TorchSharp.DeviceType.CUDA ? ComputeDevice.Cuda : ComputeDevice.Cpu;
}
