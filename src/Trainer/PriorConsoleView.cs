using Spectre.Console;
using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Prior;

namespace VqVae.Trainer;

/// <summary>The prior's progress: a live bar for the steps of each epoch and one line per finished epoch.</summary>
public sealed class PriorConsoleView : IPriorObserver
{
    ProgressTask? task;

    public void Run(Action train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) { train(); return; }
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                task = context.AddTask("prior", maxValue: 1);
                train();
                task.StopTask();
            });
    }

    public void Started(PriorTrainingOptions options, torch.Device device, long trainMaps, long validationMaps, int stepsPerEpoch)
    {
        var p = options.Prior;
        AnsiConsole.MarkupLineInterpolated(
            $"gated PixelCNN prior ({p.Layers} layers × {p.Channels} channels{(p.IsConditional ? $", {p.ClassCount} classes" : "")}) on [yellow]{device.type}[/] ({torch.get_num_threads()} threads): {trainMaps} train / {validationMaps} validation code maps of {p.Height}×{p.Width} over {p.CodebookSize} codes, {stepsPerEpoch} steps per epoch, {options.Epochs} epochs");
        AnsiConsole.MarkupLine($"[grey]{"epoch",5} {"train b/code",12} {"val b/code",10} {"val b/map",9} {"uniform",8} {"histogram",9} {"s",6}[/]");
    }

    public void Step(int epoch, int step, int stepsPerEpoch)
    {
        if (task == null) return;
        if (step == 1) { task.Description = $"epoch {epoch}"; task.MaxValue = stepsPerEpoch; }
        task.Value = step;
    }

    public void EpochDone(PriorMetrics m, bool isBest) =>
        AnsiConsole.MarkupLine(
            $"{m.Epoch,5} {m.TrainBitsPerCode,12:F4} {m.ValidationBitsPerCode,10:F4} {m.ValidationBitsPerImage,9:F1} {m.UniformBitsPerCode,8:F3} {m.HistogramBitsPerCode,9:F3} {m.Seconds,6:F1}"
            + (isBest ? " [green]best[/]" : ""));
}
