using System.CommandLine;
using Spectre.Console;
using VqVae.Data.Cache;
using VqVae.Training;

namespace VqVae.Trainer;

/// <summary>`patch-floor`: the best validation MSE any patch model of a preset's p and K can reach (k-means of the data's patches).</summary>
public static class FloorCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { DefaultValueFactory = _ => "mnist" };
        preset.AcceptOnlyFromAmong(Presets.Names);
        var data = new Option<string?>("--data");
        var iterations = new Option<int>("--iterations") { DefaultValueFactory = _ => 25 };
        var cacheDir = CacheCommand.CacheDirOption();
        var command = new Command("patch-floor", "Measure the k-means floor of the patch model's validation MSE for a preset's data, p and K.")
        {
            preset, data, iterations, cacheDir,
        };
        command.SetAction(parse =>
        {
            var options = Presets.Get(parse.GetValue(preset)!);
            options = options with { DataPath = parse.GetValue(data) ?? options.DataPath };
            try
            {
                using var data = CachedTrainingData.Open(options, CacheLocation.Root(parse.GetValue(cacheDir)));
                CacheReport.Print(data);
                var floor = PatchFloor.Measure(data.Train, data.Validation, options.Model.PatchSize, options.Model.CodebookSize, parse.GetValue(iterations), options.Seed);
                AnsiConsole.WriteLine($"{options.Preset}: k-means floor of the validation MSE (p={options.Model.PatchSize}, K={options.Model.CodebookSize}): {floor:F5}");
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                return TrainerCli.Fail(e.Message);
            }
        });
        return command;
    }
}
