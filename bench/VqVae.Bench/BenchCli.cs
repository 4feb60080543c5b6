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
        var dataCache = new Option<bool>("--data-cache") { Description = "instead: training from generated image folders, the parent build (data in memory) against this one (memory-mapped cache); needs --baseline-trainer" };
        var baseline = new Option<string?>("--baseline-trainer") { Description = "vqvae-train.dll of the build to compare against (scripts/bench-data-cache.sh builds the parent commit's)" };
        var int8Model = new Option<string[]>("--int8-model")
        {
            Description = "PRESET=DIR: a trained model (training or checkpoint folder) of preset mnist or pokemon for the int8 comparison " +
                          "(default: the training section's checkpoint); repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var int8Only = new Option<bool>("--int8-only") { Description = "measure only the int8 comparison, of the --int8-model models" };
        var only = new Option<string?>("--only")
        {
            Description = $"run only these sections, comma-separated: {string.Join(", ", Sections.All)} (the ceiling always runs: " +
                          "the fractions are of it; memory needs inference; int8 runs with training); not with --write",
        };
        var root = new RootCommand("Measure training, inference and memory against the machine's matrix-product ceiling.") { quick, threads, write, dataDir, int8Model, int8Only, dataCache, baseline, only };
        root.SetAction(parse =>
        {
            int t = parse.GetValue(threads);
            if (t < 1) { Console.Error.WriteLine("error: --threads must be at least 1"); return 2; }
            var sections = Sections.Parse(parse.GetValue(only), out var problem);
            if (problem is null && parse.GetValue(only) is not null && parse.GetValue(write) is not null)
                problem = "--only and --write: a partial run would replace the whole report";
            if (problem is not null) { Console.Error.WriteLine($"error: {problem}"); return 2; }
            var models = new Dictionary<string, string>();
            foreach (var pair in parse.GetValue(int8Model) ?? [])
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2 || parts[0] is not ("mnist" or "pokemon") || !Path.Exists(parts[1]))
                {
                    Console.Error.WriteLine($"error: --int8-model {pair}: expected mnist=DIR or pokemon=DIR with an existing DIR");
                    return 2;
                }
                models[parts[0]] = parts[1];
            }
            if (parse.GetValue(int8Only) && models.Count == 0) { Console.Error.WriteLine("error: --int8-only needs at least one --int8-model"); return 2; }
            var settings = (parse.GetValue(quick)
                ? BenchSettings.QuickRun(t, parse.GetValue(dataDir)!)
                : BenchSettings.Full(t, parse.GetValue(dataDir)!)) with
            { Int8Models = models, Int8Only = parse.GetValue(int8Only) };
            var command = "dotnet run -c Release --project bench/VqVae.Bench --" + string.Concat(args.Select(a => " " + Quote(a)));
            if (parse.GetValue(dataCache))
            {
                var trainer = parse.GetValue(baseline);
                if (trainer is null || !File.Exists(trainer))
                {
                    Console.Error.WriteLine($"error: --baseline-trainer: {(trainer is null ? "required with --data-cache" : $"{trainer}: file not found")}");
                    return 2;
                }
                var cacheSettings = parse.GetValue(quick)
                    ? DataCacheSettings.QuickRun(t, parse.GetValue(dataDir)!)
                    : DataCacheSettings.Full(t, parse.GetValue(dataDir)!);
                return ExecuteDataCache(cacheSettings, Path.GetFullPath(trainer), Redact(command, trainer), parse.GetValue(write));
            }
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
            if (settings.Int8Only)
            {
                var only = Section("int8", () => settings.Int8Models
                    .Select(m => Int8Bench.Run(m.Key, m.Value, settings, data, work.FullName, Log)).ToList());
                AnsiConsole.WriteLine();
                ConsoleReport.Write([ReportTables.Int8(only, settings, machine)]);
                return 0;
            }
            var ceiling = Section("ceiling", () => CeilingBench.Run(settings, Log));
            string[] presets = ["mnist", "pokemon"];
            List<T> Each<T>(string section, string name, Func<string, T> measure) =>
                sections.Contains(section) ? Section(name, () => presets.Select(measure).ToList()) : [];
            var inference = Each(Sections.Inference, "inference", p => InferenceBench.Run(p, settings, data, work.FullName, Log));
            var sampling = sections.Contains(Sections.Inference)
                ? Section("prior sampling", () => PriorSamplingBench.Run(settings, work.FullName, Log))
                : null;
            var training = Each(Sections.Training, "training", p => TrainingBench.Run(p, settings, data, work.FullName, Log));
            // The same runs on the direct decoder, for the table path's side-by-side row.
            var trainingDirect = Each(Sections.Training, "training, direct decoder", p => TrainingBench.Run(p, settings, data, work.FullName, Log, DecoderPath.Direct));
            var post = Each(Sections.Post, "training against the post's code", p => TrainingVsPost.Run(p, settings, data, work.FullName, Log));
            var scoreMemory = sections.Contains(Sections.Memory)
                ? Section("scoring memory", () => InferenceBench.ScoreMemory(settings, data, work.FullName, Log))
                : null;
            // The int8 comparison quantises the training section's checkpoints (unless --int8-model gives others).
            var int8 = Each(Sections.Training, "int8", p => Int8Bench.Run(p, settings.Int8Models.GetValueOrDefault(p) ?? Path.Combine(work.FullName, TrainingBench.OutputFolder(p)),
                settings, data, work.FullName, Log));

            var results = new BenchResults($"`{command}`", started, settings, machine, ceiling, training, post, inference, scoreMemory, int8, timings, trainingDirect, sampling);
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

    static int ExecuteDataCache(DataCacheSettings settings, string baselineTrainer, string command, string? markdownPath)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 180;
        var started = DateTimeOffset.Now;
        var total = Stopwatch.StartNew();
        var work = Directory.CreateTempSubdirectory("vqvae-bench-cache-");
        try
        {
            var machine = MachineInfo.Collect(settings.Threads);
            var (folder, presets) = DataCacheBench.Run(settings, baselineTrainer, work.FullName, Log);
            var tables = DataCacheBench.Tables(settings, machine, command, started, total.Elapsed.TotalSeconds, folder, presets);
            AnsiConsole.WriteLine();
            ConsoleReport.Write(tables);
            if (markdownPath is not null)
            {
                MarkdownReport.Write(markdownPath, tables, MarkdownReport.DataCacheBegin, MarkdownReport.DataCacheEnd);
                AnsiConsole.MarkupLineInterpolated($"wrote [green]{markdownPath}[/]");
            }
            AnsiConsole.MarkupLineInterpolated($"[grey]bench took {total.Elapsed.TotalMinutes:F1} min[/]");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // The baseline's path is a temporary build folder of the machine that ran it; the report names it by role.
    static string Redact(string command, string trainer) => command.Replace(trainer, "<parent build>/vqvae-train.dll");

    static void Log(string message) =>
        AnsiConsole.MarkupLineInterpolated($"[grey]{DateTime.Now:HH:mm:ss}[/] {message}");

    static string Quote(string arg) => arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;
}
