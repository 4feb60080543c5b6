using System.CommandLine;
using VqVae.Classifier;

namespace VqVae.Trainer;

/// <summary>
/// `--classifier DIR`: the digit classifier whose features the Fréchet distance compares. Without the option,
/// the default folder is used when it holds a classifier and the images are 1×28×28; otherwise there is none.
/// </summary>
public static class ClassifierFolder
{
    public static Option<string?> Option(string measured) => new("--classifier")
    {
        Description = $"Folder written by `classifier train`: {measured} gets a Fréchet distance in its features (1×28×28 images; default {DigitFrechet.DefaultFolder} when it exists)",
    };

    /// <summary>The folder to measure with, or null; throws ArgumentException for a given folder that cannot be used.</summary>
    public static string? For(string? given, ModelConfig model)
    {
        if (given is null)
            return DigitFrechet.Fits(model) && File.Exists(DigitFrechet.WeightsPath(DigitFrechet.DefaultFolder)) ? DigitFrechet.DefaultFolder : null;
        if (!DigitFrechet.Fits(model))
            throw new ArgumentException($"--classifier {given}: the digit classifier reads 1×28×28 images, and this model's are {model.Channels}×{model.Height}×{model.Width}");
        if (!File.Exists(DigitFrechet.WeightsPath(given)))
            throw new ArgumentException($"--classifier {given}: no {ClassifierTraining.WeightsFile} (train one with `vqvae-train classifier train --out {given}`)");
        return given;
    }
}
