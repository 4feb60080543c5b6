using System.Text.Json;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Classifier;
using VqVae.Model;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Prior;

/// <summary>What <see cref="PriorSampleFrechet"/> measured, as sample-frechet.json holds it.</summary>
public sealed record SampleFrechet(double FrechetDistance, int Samples, long ReferenceDigits, string Classifier, int PriorEpoch)
{
    public string ToJson() => JsonSerializer.Serialize(this, ModelConfig.Json);
}

/// <summary>
/// A trained prior judged once, at the end of its training: 1,000 code maps drawn from it (temperature 1; a
/// conditional prior's evenly over its classes), decoded by the VQ-VAE, against the run's validation digits, by
/// the Fréchet distance in the digit classifier's features (<see cref="DigitFrechet"/>).
/// </summary>
public static class PriorSampleFrechet
{
    public const int Samples = 1000;
    public const string File = "sample-frechet.json";

    public static SampleFrechet Measure(string classifierFolder, GatedPixelCnn prior, int priorEpoch, VqVaeModel vqvae, CheckpointInfo info, int seed)
    {
        var device = vqvae.parameters().First().device;
        var (_, validation) = TrainingData.Load(CodeMaps.DataOptions(info));
        using var digits = TrainingData.ToTensor(validation);
        using var frechet = DigitFrechet.Open(classifierFolder, device, Batches(digits, 500));
        using var samples = frechet.Begin();
        var generator = new Generator((ulong)seed);
        var c = prior.Config;
        for (int start = 0; start < Samples; start += 250)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(250, Samples - start);
            var labels = c.IsConditional ? (arange(start, start + n) % c.ClassCount).to(prior.embedding.weight!.device) : null;
            var codes = PriorSampling.Sample(prior, n, labels, 1.0, generator);
            using (no_grad()) frechet.Add(samples, vqvae.DecodeCodes(codes.to(device)));
        }
        return new SampleFrechet(frechet.Distance(samples), Samples, validation.Count, Path.GetFullPath(classifierFolder), priorEpoch);
    }

    static IEnumerable<Tensor> Batches(Tensor images, long size)
    {
        for (long start = 0; start < images.shape[0]; start += size)
        {
            using var scope = NewDisposeScope();
            yield return images.narrow(0, start, Math.Min(size, images.shape[0] - start));
        }
    }
}
