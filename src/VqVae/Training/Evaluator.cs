using VqVae.Checkpoints;
using VqVae.Classifier;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>Validation figures: losses as the reference post logs them, plus PSNR, SSIM, codebook usage and (digits) a Fréchet distance.</summary>
public static class Evaluator
{
    /// <summary>Validation of images already in one tensor.</summary>
    public static EpochMetrics Evaluate(VqVaeModel model, Tensor images, int batchSize, DigitFrechet? frechet = null)
    {
        long n = images.shape[0];
        long start = 0;
        return Evaluate(model, n, batchSize, images.device, () =>
        {
            var x = images.narrow(0, start, Math.Min(batchSize, n - start));
            start += x.shape[0];
            return x;
        }, frechet);
    }

    /// <summary>Validation read in batches (prepared one ahead), so the set never sits in memory whole.</summary>
    public static EpochMetrics Evaluate(VqVaeModel model, ITrainingImages images, int batchSize, Device device, DigitFrechet? frechet = null)
    {
        using var batches = new BatchPrefetcher(images, Enumerable.Range(0, images.Count).ToArray(), batchSize, int.MaxValue);
        return Evaluate(model, images.Count, batchSize, device, () => batches.Next().to(device), frechet);
    }

    /// <summary>The images in batches on the device, each freed when the next is asked for.</summary>
    public static IEnumerable<Tensor> Batches(ITrainingImages images, int batchSize, Device device)
    {
        using var batches = new BatchPrefetcher(images, Enumerable.Range(0, images.Count).ToArray(), batchSize, int.MaxValue);
        for (long start = 0; start < images.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            yield return batches.Next().to(device);
        }
    }

    static EpochMetrics Evaluate(VqVaeModel model, long n, int batchSize, Device device, Func<Tensor> nextBatch, DigitFrechet? frechet)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var loss = zeros(1, device: device);
            var mse = zeros(1, device: device);
            var vq = zeros(1, device: device);
            // SSIM is summed on the host: one implementation (VqVaeMl.Common's) for training and vqvae-score.
            var ssim = ValidationSsim.For(model.Config);
            using var features = frechet?.Begin();
            var histograms = Enumerable.Range(0, model.quantizer.Depth).Select(_ => zeros(model.Config.CodebookSize, device: device)).ToArray();
            for (long start = 0; start < n; start += batchSize)
            {
                // Each batch's tensors go when it is done: memory follows the batch, not the set.
                using var step = NewDisposeScope();
                var x = nextBatch();
                long count = x.shape[0];
                var output = model.forward(x);
                var terms = VqVaeModel.Loss(output, x);
                // Weighted by batch size so a short last batch counts for what it holds.
                loss.add_(terms.Total * count);
                mse.add_(terms.Reconstruction * count);
                vq.add_(terms.Vq * count);
                ssim?.Add(x, output.Reconstruction);
                if (features is not null) frechet!.Add(features, output.Reconstruction);
                var counts = model.quantizer.Histograms(output.Codes);
                for (int level = 0; level < histograms.Length; level++) histograms[level].add_(counts[level]);
            }
            double meanMse = mse.item<float>() / n;
            var usage = histograms.Select(Usage).ToArray();
            bool perLevel = usage.Length > 1;
            return new EpochMetrics
            {
                ValidationLoss = loss.item<float>() / n,
                ValidationMse = meanMse,
                ValidationVqLoss = vq.item<float>() / n,
                ValidationPsnr = 10 * Math.Log10(1.0 / Math.Max(meanMse, 1e-12)),
                ValidationSsim = ssim?.Mean,
                ValidationFrechet = features is null ? null : frechet!.Distance(features),
                ActiveCodes = usage.Sum(u => u.Active),
                Perplexity = Math.Exp(usage.Sum(u => u.Entropy)),
                LevelActiveCodes = perLevel ? usage.Select(u => u.Active).ToArray() : null,
                LevelPerplexity = perLevel ? usage.Select(u => Math.Exp(u.Entropy)).ToArray() : null,
            };
        }
        finally { model.train(wasTraining); }
    }

    /// <summary>Codes in use and the entropy (nats) of one level's histogram.</summary>
    static (int Active, double Entropy) Usage(Tensor histogram)
    {
        var p = histogram / histogram.sum();
        double entropy = -(p * (p + 1e-12).log()).sum().item<float>();
        return ((int)(histogram > 0).sum().item<long>(), entropy);
    }
}
