using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using static TorchSharp.torch;

namespace VqVae.Bench;

/// <summary>
/// vqvae-bench [--quick] [--threads N] [--write docs/BENCHMARKS.md] [--data-dir data]: measures, in one
/// run and on the same threads, the matrix-product ceiling, training, inference and memory, prints the
/// tables with PASS/FAIL against the targets, and optionally writes them into a markdown file.
/// Exit code 0 whether targets pass or not (the report says which); 1 when a measurement failed.
/// </summary>
public static class BenchCli
{
    public static int Run(string[] args)
    {
        var quick = new Option<bool>("--quick") { Description = "tiny counts, to check the bench runs (about 2 minutes); figures are not the benchmark" };
        var threads = new Option<int>("--threads") { Description = "threads for libtorch and ONNX Runtime (default: one per core)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var write = new Option<string?>("--write") { Description = "markdown file to write the tables into (a marked section; the rest of the file is kept)" };
        var dataDir = new Option<string>("--data-dir") { Description = "where the data sets are (fetched there when missing)", DefaultValueFactory = _ => "data" };
        var only = new Option<string?>("--only")
        {
            Description = $"run only these sections, comma-separated: {string.Join(", ", Sections.All)} (the ceiling always runs: " +
                          "the fractions are of it; memory needs inference); not with --write",
        };
        var root = new RootCommand("Measure training, inference and memory against the machine's matrix-product ceiling.") { quick, threads, write, dataDir, only };
        root.SetAction(parse =>
        {
            int t = parse.GetValue(threads);
            if (t < 1) { Console.Error.WriteLine("error: --threads must be at least 1"); return 2; }
            var sections = Sections.Parse(parse.GetValue(only), out var problem);
            if (problem is null && parse.GetValue(only) is not null && parse.GetValue(write) is not null)
                problem = "--only and --write: a partial run would replace the whole report";
            if (problem is not null) { Console.Error.WriteLine($"error: {problem}"); return 2; }
            var settings = parse.GetValue(quick)
                ? BenchSettings.QuickRun(t, parse.GetValue(dataDir)!)
                : BenchSettings.Full(t, parse.GetValue(dataDir)!);
            var command = "dotnet run -c Release --project bench/VqVae.Bench --" + string.Concat(args.Select(a => " " + Quote(a)));
            return Execute(settings, sections, command, parse.GetValue(write));
        });
        return root.Parse(args).Invoke();
    }

    static int Execute(BenchSettings settings, IReadOnlySet<string> sections, string command, string? markdownPath)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        // Redirected output (a log, CI) would be drawn 80 columns wide, wrapping every table.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 180;
        set_num_threads(settings.Threads);
        var started = DateTimeOffset.Now;
        var total = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("vqvae-bench-");
        var timings = new List<(string, double)>();
        T Section<T>(string name, Func<T> measure)
        {
            Log($"== {name}");
            var clock = Stopwatch.StartNew();
            var result = measure();
            timings.Add((name, clock.Elapsed.TotalSeconds));
            return result;
        }
        try
        {
            var machine = MachineInfo.Collect(settings.Threads);
            var data = Section("data", () => BenchData.Prepare(settings, work.FullName, Log));
            var ceiling = Section("ceiling", () => CeilingBench.Run(settings, Log));
            string[] presets = ["mnist", "pokemon"];
            List<T> Each<T>(string section, string name, Func<string, T> measure) =>
                sections.Contains(section) ? Section(name, () => presets.Select(measure).ToList()) : [];
            var inference = Each(Sections.Inference, "inference", p => InferenceBench.Run(p, settings, data, work.FullName, Log));
            var training = Each(Sections.Training, "training", p => TrainingBench.Run(p, settings, data, work.FullName, Log));
            var post = Each(Sections.Post, "training against the post's code", p => TrainingVsPost.Run(p, settings, data, work.FullName, Log));
            var scoreMemory = sections.Contains(Sections.Memory)
                ? Section("scoring memory", () => InferenceBench.ScoreMemory(settings, data, work.FullName, Log))
                : null;

            var results = new BenchResults($"`{command}`", started, settings, machine, ceiling, training, post, inference, scoreMemory, timings);
            var tables = ReportTables.Build(results);
            AnsiConsole.WriteLine();
            ConsoleReport.Write(tables);
            if (markdownPath is not null)
            {
                MarkdownReport.Write(markdownPath, tables);
                AnsiConsole.MarkupLineInterpolated($"wrote [green]{markdownPath}[/]");
            }
            AnsiConsole.MarkupLineInterpolated($"[grey]bench took {total.Elapsed.TotalMinutes:F1} min[/]");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or NotSupportedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    static void Log(string message) =>
        AnsiConsole.MarkupLineInterpolated($"[grey]{DateTime.Now:HH:mm:ss}[/] {message}");

    static string Quote(string arg) => arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;
}
