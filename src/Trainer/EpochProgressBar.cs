using Spectre.Console;

namespace VqVae.Trainer;

/// <summary>A live bar over the steps of each epoch, shared by the views of `train` and `prior`.</summary>
public sealed class EpochProgressBar(string name)
{
    ProgressTask? task;

    public void Run(Action train)
    {
        // A redirected console (CI, logs) gets the epoch lines only, not a redrawn bar per step.
        if (!AnsiConsole.Profile.Capabilities.Interactive) { train(); return; }
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                task = context.AddTask(name, maxValue: 1);
                train();
                task.StopTask();
            });
    }

    public void Step(int epoch, int step, int stepsPerEpoch)
    {
        if (task == null) return;
        if (step == 1) { task.Description = $"epoch {epoch}"; task.MaxValue = stepsPerEpoch; }
        task.Value = step;
    }
}
