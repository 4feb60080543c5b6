using System.Diagnostics;
using VqVae.Data;
using VqVae.Model;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Bench;

/// <summary>TorchSharp inference: the model's forward pass in eval mode without gradients, batch by batch.</summary>
public static class TorchInference
{
    /// <summary>Images/s of each repeat over all of <paramref name="images"/> (one untimed pass first).</summary>
    public static Samples Measure(VqVaeModel model, ImageSet images, int batch, int repeats)
    {
        model.eval();
        using var _ = no_grad();
        using var all = TrainingData.ToTensor(images);
        var rates = new List<double>();
        for (int r = -1; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            for (long start = 0; start < images.Count; start += batch)
            {
                using var scope = NewDisposeScope();
                model.forward(all.narrow(0, start, Math.Min(batch, images.Count - start)));
            }
            double seconds = clock.Elapsed.TotalSeconds;
            if (r >= 0) rates.Add(images.Count / seconds);
        }
        return new Samples(rates);
    }
}
