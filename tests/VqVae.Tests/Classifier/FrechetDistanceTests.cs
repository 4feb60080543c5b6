using MathNet.Numerics.LinearAlgebra;
using VqVae.Classifier;
using VqVae.Data;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Tests.Classifier;

/// <summary>The Fréchet distance: its formula on Gaussians known in closed form, and on real digits in the classifier's features.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class FrechetDistanceTests
{
    [Fact]
    public void Diagonal_Gaussians_give_the_closed_form()
    {
        // Diagonal covariances commute: the distance is Σ (μ₁ − μ₂)² + Σ (√a − √b)².
        var a = new Gaussian([0.0, 1.0, 2.0], Diagonal(4.0, 1.0, 0.25), 100);
        var b = new Gaussian([1.0, 1.0, 0.0], Diagonal(1.0, 9.0, 0.25), 100);
        double expected = 1 + 0 + 4 + (2 - 1) * (2 - 1) + (1 - 3) * (1 - 3) + 0;
        Assert.Equal(expected, FrechetDistance.Between(a, b), 9);
        Assert.Equal(0, FrechetDistance.Between(a, a), 9);
    }

    [Fact]
    public void Full_covariances_agree_with_the_trace_of_the_product_root()
    {
        // Σ₁ = [[2, 1], [1, 2]], Σ₂ = I: (Σ₁Σ₂)^½ = Σ₁^½, whose eigenvalues are √3 and 1.
        var a = new Gaussian([0.0, 0.0], new double[,] { { 2, 1 }, { 1, 2 } }, 10);
        var b = new Gaussian([0.0, 0.0], new double[,] { { 1, 0 }, { 0, 1 } }, 10);
        Assert.Equal(4 + 2 - 2 * (Math.Sqrt(3) + 1), FrechetDistance.Between(a, b), 9);
    }

    [Fact]
    public void Feature_statistics_are_the_sample_mean_and_covariance()
    {
        var features = rand(600, 4, generator: new Generator(2)) * 10;
        using var statistics = new FeatureStatistics(4, CPU);
        // In two batches, as the evaluation adds them.
        statistics.Add(features.narrow(0, 0, 250));
        statistics.Add(features.narrow(0, 250, 350));
        var g = statistics.ToGaussian();
        var x = Matrix<double>.Build.DenseOfRowMajor(600, 4, features.to_type(ScalarType.Float64).contiguous().data<double>().ToArray());
        var mean = x.ColumnSums() / 600;
        var covariance = (x.TransposeThisAndMultiply(x) - 600 * mean.OuterProduct(mean)) / 599;
        Assert.Equal(600, g.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(mean[i], g.Mean[i], 9);
            for (int j = 0; j < 4; j++) Assert.Equal(covariance[i, j], g.Covariance[i, j], 9);
        }
    }

    [Fact]
    public void The_same_digits_give_zero_and_noise_or_blur_raise_it_step_by_step()
    {
        using var classifier = TrainedClassifier();
        var (_, validation) = MnistDataset.Load(TestData.MnistDir);
        using var digits = TrainingData.ToTensor(validation.Take(0, 600));
        using var folder = new TempFolder();
        classifier.save(DigitFrechet.WeightsPath(folder.Path));
        using var frechet = DigitFrechet.Open(folder.Path, CPU, [digits]);

        double Distance(Tensor images)
        {
            using var statistics = frechet.Begin();
            frechet.Add(statistics, images);
            return frechet.Distance(statistics);
        }

        double same = Distance(digits);
        var generator = new Generator(5);
        var noisy = new[] { 0.05, 0.1, 0.2, 0.4 }.Select(sigma =>
        {
            using var scope = NewDisposeScope();
            return Distance((digits + sigma * randn(digits.shape, generator: generator)).clamp(0, 1));
        }).ToList();
        var blurred = new[] { 3, 5, 7 }.Select(size =>
        {
            using var scope = NewDisposeScope();
            return Distance(nn.functional.avg_pool2d(digits, size, stride: 1, padding: size / 2, count_include_pad: false));
        }).ToList();

        Assert.True(same < 1e-6 * noisy[0], $"the same digits gave {same}; noise {string.Join(", ", noisy)}");
        for (int i = 1; i < noisy.Count; i++) Assert.True(noisy[i] > noisy[i - 1], $"noise: {string.Join(", ", noisy)}");
        for (int i = 1; i < blurred.Count; i++) Assert.True(blurred[i] > blurred[i - 1], $"blur: {string.Join(", ", blurred)}");
        Assert.True(noisy[0] > 0 && blurred[0] > 0);
    }

    /// <summary>A classifier trained two epochs on 6,000 real digits: enough to tell digits apart.</summary>
    static DigitClassifier TrainedClassifier()
    {
        var (train, validation) = MnistDataset.Load(TestData.MnistDir);
        var (trainLabels, validationLabels) = MnistDataset.LoadLabels(TestData.MnistDir);
        var model = new DigitClassifier();
        var accuracy = ClassifierTraining.Train(model, train.Take(0, 6000), trainLabels[..6000], validation.Take(0, 500), validationLabels[..500], epochs: 2, seed: 1);
        Assert.True(accuracy[^1] > 0.8, $"accuracy {accuracy[^1]}");
        return model;
    }

    static double[,] Diagonal(params double[] values)
    {
        var m = new double[values.Length, values.Length];
        for (int i = 0; i < values.Length; i++) m[i, i] = values[i];
        return m;
    }
}
