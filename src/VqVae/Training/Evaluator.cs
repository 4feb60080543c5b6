using VqVae.Checkpoints;
using VqVae.Model;
using static TorchSharp.torch;

namespace VqVae.Training;

/// <summary>Validation figures: losses as the reference post logs them, plus PSNR and codebook usage.</summary>
public static class Evaluator
{
    public static EpochMetrics Evaluate(VqVaeModel model, CodebookTraining codebook, Tensor images, int batchSize)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            long n = images.shape[0];
            var loss = zeros(1, device: images.device);
            var mse = zeros(1, device: images.device);
            var vq = zeros(1, device: images.device);
            var histogram = zeros(model.Config.CodebookSize, device: images.device);
            for (long start = 0; start < n; start += batchSize)
            {
                long count = Math.Min(batchSize, n - start);
                var x = images.narrow(0, start, count);
                var output = model.forward(x);
                var terms = VqVaeLoss.Compute(output, x, codebook.Beta, codebook.Update == CodebookUpdate.Loss);
                // Weighted by batch size so a short last batch counts for what it holds.
                loss += terms.Total * count;
                mse += terms.Reconstruction * count;
                vq += terms.Vq * count;
                histogram += model.codebook.Histogram(output.Codes);
            }
            double meanMse = mse.item<float>() / n;
            var p = histogram / histogram.sum();
            double entropy = -(p * (p + 1e-12).log()).sum().item<float>();
            return new EpochMetrics
            {
                ValidationLoss = loss.item<float>() / n,
                ValidationMse = meanMse,
                ValidationVqLoss = vq.item<float>() / n,
                ValidationPsnr = 10 * Math.Log10(1.0 / Math.Max(meanMse, 1e-12)),
                ActiveCodes = (int)(histogram > 0).sum().item<long>(),
                Perplexity = Math.Exp(entropy),
            };
        }
        finally { model.train(wasTraining); }
    }
}
