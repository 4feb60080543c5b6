using Spectre.Console;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>A live progress bar for the steps of each epoch and one table line per finished epoch.</summary>
public sealed class TrainingConsoleView : ITrainingObserver
{
    readonly EpochProgressBar bar = new("training");

    public void Run(Action train) => bar.Run(train);

    public void Started(TrainingOptions options, torch.Device device, long trainImages, long validationImages, int stepsPerEpoch)
    {
        AnsiConsole.MarkupLineInterpolated(
            $"[bold]{options.Preset}[/] on [yellow]{device.type}[/] ({torch.get_num_threads()} threads, OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "unset"}): {trainImages} train / {validationImages} validation images, {stepsPerEpoch} steps per epoch, {options.Epochs} epochs, quantizer {options.Model.QuantizerDescriptor.Describe(options.Model)}, decoder {KebabCase.Name(options.ResolvedDecoderPath)}");
        AnsiConsole.MarkupLine($"[grey]{"epoch",5} {"train",9} {"val loss",9} {"val MSE",9} {"VQ",9} {"PSNR",6} {"codes",5} {"perplex",7} {"img/s",7}[/]");
    }

    public void Step(int epoch, int step, int stepsPerEpoch) => bar.Step(epoch, step, stepsPerEpoch);

    public void EpochDone(EpochMetrics m, bool isBest) =>
        AnsiConsole.MarkupLine(
            $"{m.Epoch,5} {m.TrainLoss,9:F5} {m.ValidationLoss,9:F5} {m.ValidationMse,9:F5} {m.ValidationVqLoss,9:F5} {m.ValidationPsnr,6:F2} {m.ActiveCodes,5} {m.Perplexity,7:F2} {m.ImagesPerSecond,7:F0}" +
            (m.LevelActiveCodes is { } levels ? $" [grey]codes by level {string.Join('/', levels)}[/]" : "") +
            (m.RestartedCodes > 0 ? $" [grey]{m.RestartedCodes} restarted[/]" : "") + (isBest ? " [green]best[/]" : ""));

}
