using System.Runtime.InteropServices;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>An allocation libtorch or .NET could not make, told in terms of the options that asked for it.</summary>
public static class OutOfMemory
{
    public static bool Is(Exception e) =>
        e is OutOfMemoryException
        || e is ExternalException && (e.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase)
                                      || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase));

    public static string Describe(TrainingOptions o) =>
        $"not enough memory for this model and batch (--batch-size {o.BatchSize}, --codebook-size {o.Model.CodebookSize}, --hidden-size {o.Model.HiddenSize}, images {o.Model.Channels}×{o.Model.Height}×{o.Model.Width}); try smaller values";
}
