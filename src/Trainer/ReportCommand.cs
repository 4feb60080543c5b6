using System.CommandLine;
using System.Globalization;
using VqVae.Checkpoints;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>`report`: a markdown table comparing finished training runs by their best checkpoints.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var runs = new Argument<string[]>("runs") { Description = "Training output folders", Arity = ArgumentArity.OneOrMore };
        var command = new Command("report", "Print a markdown table of training runs: best validation MSE, PSNR, codes in use, perplexity, training time.")
        {
            runs,
        };
        command.SetAction(parse =>
        {
            try
            {
                Console.WriteLine("| run | arch | codebook | lr | best epoch | val MSE | PSNR (dB) | active codes | perplexity | training minutes |");
                Console.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                foreach (var run in parse.GetValue(runs)!) Console.WriteLine(Row(run));
                return 0;
            }
            catch (InvalidDataException e) { return TrainerCli.Fail(e.Message); }
        });
        return command;
    }

    static string Row(string run)
    {
        var info = Checkpoint.ReadInfo(Checkpoint.Resolve(run));
        var m = info.Metrics ?? throw new InvalidDataException($"{run}: the best checkpoint has no metrics");
        var history = File.ReadAllLines(Path.Combine(run, TrainingLoop.MetricsFile)).Skip(1)
            .Select(line => double.Parse(line.Split(',')[9], CultureInfo.InvariantCulture));
        var c = info.Training?.Codebook ?? new CodebookTraining();
        var codebook = string.Join(" + ", new[]
        {
            c.Update == CodebookUpdate.Ema ? string.Create(CultureInfo.InvariantCulture, $"EMA {c.EmaDecay}") : "VQ loss",
            c.KmeansInit ? "k-means init" : null,
            c.DeadCodeThreshold > 0 ? $"dead < {c.DeadCodeThreshold}" : null,
            KebabCase.Name(c.Estimator),
        }.Where(s => s != null));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {Path.GetFileName(Path.GetFullPath(run).TrimEnd('/'))} | {KebabCase.Name(info.Model.Arch)} | {codebook} | {info.Training?.LearningRate:G3} | {info.Epoch} | {m.ValidationMse:F4} | {m.ValidationPsnr:F2} | {m.ActiveCodes} | {m.Perplexity:F1} | {history.Sum() / 60:F1} |");
    }
}
