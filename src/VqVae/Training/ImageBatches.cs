using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>Tensors from <see cref="ITrainingImages"/>, made on the calling thread in its dispose scope.</summary>
public static class ImageBatches
{
    /// <summary>The images at <paramref name="positions"/> as a CPU tensor [n, C, H, W].</summary>
    public static Tensor Gather(this ITrainingImages images, ReadOnlySpan<int> positions)
    {
        var pixels = new float[(long)positions.Length * images.Channels * images.Height * images.Width];
        images.CopyBatch(positions, pixels);
        return ToTensor(pixels, positions.Length, images);
    }

    /// <summary>The first <paramref name="count"/> images' worth of <paramref name="pixels"/> copied into a new tensor.</summary>
    /// <remarks>
    /// One memory copy into the tensor's storage. TorchSharp's TensorAccessor.CopyFrom goes element by
    /// element: 178 ms for a batch of 256 64×64 RGB images, against 17 ms for this copy (measured side
    /// by side on the 2-core machine of docs/BENCHMARKS.md).
    /// </remarks>
    public static Tensor ToTensor(ReadOnlySpan<float> pixels, int count, ITrainingImages shape)
    {
        var result = empty(count, shape.Channels, shape.Height, shape.Width);
        MemoryMarshal.AsBytes(pixels[..(int)result.numel()]).CopyTo(result.bytes);
        return result;
    }

    /// <summary>Positions as ints, from a permutation tensor (randperm).</summary>
    public static int[] ToPositions(Tensor permutation) =>
        permutation.cpu().data<long>().ToArray().Select(i => checked((int)i)).ToArray();

    /// <summary>Each channel's mean pixel over every image [C], read in batches so the set never sits in memory whole.</summary>
    public static Tensor ChannelMeans(this ITrainingImages images, int batchSize = 256)
    {
        using var scope = NewDisposeScope();
        var sums = zeros(images.Channels, dtype: ScalarType.Float64);
        for (int start = 0; start < images.Count; start += batchSize)
        {
            using var step = NewDisposeScope();
            var positions = Enumerable.Range(start, Math.Min(batchSize, images.Count - start)).ToArray();
            sums.add_(images.Gather(positions).sum(new long[] { 0, 2, 3 }, type: ScalarType.Float64));
        }
        return (sums / ((double)images.Count * images.Height * images.Width)).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
