using Spectre.Console;

namespace VqVaeMl.MlNet.Cli;

/// <summary>A Spectre progress bar on an interactive terminal; nothing when the output is a file, a pipe or a test.</summary>
internal static class CliProgress
{
    public static T Run<T>(TextWriter stdout, string label, int total, Func<Action, T> work)
    {
        bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected
                        && AnsiConsole.Profile.Capabilities.Interactive;
        if (!terminal) return work(() => { });
        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(label, maxValue: Math.Max(1, total));
                return work(() => task.Increment(1));
            });
    }
}
