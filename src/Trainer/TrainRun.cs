using Spectre.Console;
using VqVae.Checkpoints;
using VqVae.Cli;
using VqVae.Data.Cache;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>Runs one training job for the CLI: checks the output folder, loads data, trains, draws the pictures.</summary>
public static class TrainRun
{
    /// <param name="epochs">With --resume, the new total number of epochs (null: the run's own).</param>
    /// <param name="cacheDir">--cache-dir (null: the environment's cache root).</param>
    public static int Execute(TrainingOptions options, string outDir, bool force, bool resume, int? epochs = null, string? cacheDir = null)
    {
        bool exists = Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any();
        if (resume && !exists)
            return TrainerCli.Fail($"{outDir}: nothing to resume (no such run)");
        string? keptMetrics = null;
        try
        {
            if (!resume)
            {
                if (exists && !force) return TrainerCli.Fail($"{outDir}: output folder exists and is not empty (use --force to replace it, or --resume to continue it)");
                OutputFolder.Check(outDir, force, TrainerCli.Tool, [("--data", options.DataPath)]);
            }
            else
            {
                // A resumed run writes into its own folder: one process at a time, as for a new one.
                OutputClaim.Take(RealPath.Of(outDir));
                StaleTemporaries.Remove(outDir);
            }
            if (resume) options = TrainingCheckpoint.ResumedOptions(outDir, options, epochs);
            using var data = CachedTrainingData.Open(options, CacheLocation.Root(cacheDir));
            CacheReport.Print(data);
            var loop = new TrainingLoop(options, data.Train, data.Validation);
            if (resume) loop.RestoreFrom(outDir);
            else RunFolderUntilModel.Start(outDir, exists, TrainerCli.Tool);

            var view = new TrainingConsoleView();
            try { view.Run(() => loop.Run(outDir, view)); }
            finally { if (!resume) keptMetrics = RunFolderUntilModel.End(outDir, TrainingLoop.MetricsFile); }

            AnsiConsole.MarkupLine("[grey]drawing pictures from the best checkpoint…[/]");
            var (best, info) = Checkpoint.Load(outDir, loop.Model.parameters().First().device);
            TrainingPictures.SaveLearningCurve(outDir, loop.History);
            TrainingPictures.SaveReconstructions(Path.Combine(outDir, TrainingPictures.ReconstructionsFile), best, data.Validation, options.Seed);
            TrainingPictures.SaveCodebook(Path.Combine(outDir, TrainingPictures.CodebookFile), best);
            AnsiConsole.MarkupLineInterpolated($"best epoch {info.Epoch}: validation MSE {info.Metrics?.ValidationMse:F5}, {info.Metrics?.ActiveCodes} codes in use → [green]{outDir}[/]");
            return 0;
        }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}" + (keptMetrics is null ? "" : $"; {outDir} was removed, its metrics are in {keptMetrics}"));
            return TrainerCli.Diverged;
        }
        // A full disk is left to CliHost, which names the file being written.
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException && !DiskFull.Is(e))
        {
            return TrainerCli.Fail(e.Message);
        }
        catch (Exception e) when (OutOfMemory.Is(e))
        {
            return TrainerCli.Fail(OutOfMemory.Describe(options));
        }
    }
}
