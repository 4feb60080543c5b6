using TorchSharp;
using VqVae.Checkpoints;
using static TorchSharp.torch;

namespace VqVae.Classifier;

/// <summary>
/// A Fréchet distance in the features of the project's digit classifier (<see cref="DigitClassifier.Features"/>,
/// its 128-wide penultimate layer after the ReLU) rather than Inception's: images against a reference set of real
/// digits, the Gaussians of their features compared (docs/QUALITY.md). Only for 1×28×28 images.
/// </summary>
public sealed class DigitFrechet : IDisposable
{
    /// <summary>Where `vqvae-train classifier train` writes by default.</summary>
    public const string DefaultFolder = "models/digit-classifier";

    readonly DigitClassifier classifier;
    readonly Device device;

    /// <summary>The features' Gaussian of the reference digits.</summary>
    public Gaussian Reference { get; }

    DigitFrechet(DigitClassifier classifier, Device device, Gaussian reference)
    {
        this.classifier = classifier;
        this.device = device;
        Reference = reference;
    }

    /// <summary>Whether the classifier reads images of this shape.</summary>
    public static bool Fits(ModelConfig c) => c.Channels == 1 && c.Height == DigitClassifier.Size && c.Width == DigitClassifier.Size;

    /// <summary>The weights file of a classifier folder.</summary>
    public static string WeightsPath(string folder) => Path.Combine(folder, ClassifierTraining.WeightsFile);

    /// <summary>Loads the classifier of <paramref name="folder"/> and measures the reference digits, given a batch at a time.</summary>
    public static DigitFrechet Open(string folder, Device device, IEnumerable<Tensor> referenceBatches)
    {
        var weights = WeightsPath(folder);
        if (!File.Exists(weights)) throw new FileNotFoundException($"{weights}: missing (train one with `vqvae-train classifier train`)");
        var classifier = new DigitClassifier();
        DamagedFile.Read(weights, path => classifier.load(path), "train the classifier again (vqvae-train classifier train --force)");
        classifier.to(device);
        classifier.eval();
        using var statistics = new FeatureStatistics(DigitClassifier.FeatureSize, device);
        foreach (var batch in referenceBatches) AddFeatures(classifier, device, statistics, batch);
        return new DigitFrechet(classifier, device, statistics.ToGaussian());
    }

    /// <summary>Sums for a set of images to compare with the reference.</summary>
    public FeatureStatistics Begin() => new(DigitClassifier.FeatureSize, device);

    /// <summary>Adds images [N, 1, 28, 28] in 0..1 to <paramref name="statistics"/>.</summary>
    public void Add(FeatureStatistics statistics, Tensor images) => AddFeatures(classifier, device, statistics, images);

    static void AddFeatures(DigitClassifier classifier, Device device, FeatureStatistics statistics, Tensor images)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        statistics.Add(classifier.Features(images.detach().to(device)));
    }

    /// <summary>The Fréchet distance of the images added to <paramref name="statistics"/> from the reference digits.</summary>
    public double Distance(FeatureStatistics statistics) => FrechetDistance.Between(Reference, statistics.ToGaussian());

    public void Dispose() => classifier.Dispose();
}
