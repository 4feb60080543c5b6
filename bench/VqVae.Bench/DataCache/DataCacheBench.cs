using System.Globalization;
using System.Text.RegularExpressions;
using VqVae.Data;
using VqVae.Training;

namespace VqVae.Bench;

/// <summary>One trainer run of the data-cache bench.</summary>
public sealed record DataPathRun(
    string Build, string Data, int Images, Samples ImagesPerSecond, double DataReadySeconds,
    long LoadingPeakRss, long EpochsPeakRss, long RunPeakRss, string CacheLine);

/// <summary>
/// Training on data larger than memory: `vqvae-train train` of the parent build (every image decoded
/// into one float32 array) against this build (a memory-mapped uint8 cache, batches prepared one step
/// ahead), both run as child processes on the same generated folders, then the small presets side by
/// side. Peak RSS is sampled from /proc every 50 ms and split at the trainer's lines: up to the line
/// that starts training (data loading), and the epochs after the first.
/// </summary>
public static class DataCacheBench
{
    // The trainer's start line ("… 19200 train / 4800 validation images …") and its epoch lines.
    static readonly Regex Marker = new(@"\d+ train / \d+ validation images|^\s*\d+\s+(-?\d+\.\d{5}|NaN|-?∞)\s", RegexOptions.Compiled);
    static readonly Regex CacheLine = new(@"^image cache .*$", RegexOptions.Compiled | RegexOptions.Multiline);

    const string ThisTrainer = "vqvae-train.dll";

    public static (List<DataPathRun> Folder, List<DataPathRun> Presets) Run(
        DataCacheSettings settings, string baselineTrainer, string workDir, Action<string> log)
    {
        log($"generating {settings.LargeFolder} {settings.ImageSize}×{settings.ImageSize} RGB PNGs");
        var large = GeneratedImageFolder.Write(Path.Combine(workDir, $"generated-{settings.LargeFolder}"), settings.LargeFolder, settings.ImageSize);
        var small = GeneratedImageFolder.CopyFirst(large, Path.Combine(workDir, $"generated-{settings.SmallFolder}"), settings.SmallFolder);
        log($"{large}: {DirectorySize(large) / 1e6:F0} MB of PNG files");

        var folder = new List<DataPathRun>();
        foreach (var (data, count) in new[] { (small, settings.SmallFolder), (large, settings.LargeFolder) })
        {
            string[] args =
            [
                "--preset", "pokemon", "--data", data, "--image-size", settings.ImageSize.ToString(CultureInfo.InvariantCulture),
                "--channels", "3", "--patch-size", "4", "--hidden-size", "32", "--codebook-size", "32", "--batch-size", "128",
                "--epochs", settings.FolderEpochs.ToString(CultureInfo.InvariantCulture),
                "--max-steps-per-epoch", settings.FolderSteps.ToString(CultureInfo.InvariantCulture),
            ];
            folder.Add(Train("parent build, in memory", baselineTrainer, args, count, settings, workDir, log));
            folder.Add(Train("this build, cache built", ThisTrainer, args, count, settings, workDir, log));
            folder.Add(Train("this build, cache reused", ThisTrainer, args, count, settings, workDir, log));
        }

        var mnist = DataFetcher.FetchMnist(settings.DataDir, log);
        var pokemon = DataFetcher.FetchPokemon(settings.DataDir, log);
        var presets = new List<DataPathRun>();
        foreach (var (preset, data, steps) in new[] { ("mnist", mnist, settings.MnistSteps), ("pokemon", pokemon, settings.PokemonSteps) })
        {
            var args = new List<string> { "--preset", preset, "--data", data, "--epochs", settings.PresetEpochs.ToString(CultureInfo.InvariantCulture) };
            if (steps > 0) args.AddRange(["--max-steps-per-epoch", steps.ToString(CultureInfo.InvariantCulture)]);
            for (int pair = 0; pair < settings.Pairs; pair++)
            {
                presets.Add(Train("parent build, in memory", baselineTrainer, args, 0, settings, workDir, log) with { Data = preset });
                presets.Add(Train("this build, cache", ThisTrainer, args, 0, settings, workDir, log) with { Data = preset });
            }
        }
        return (folder, presets);
    }

    static DataPathRun Train(string build, string trainer, IReadOnlyList<string> dataArgs, int images, DataCacheSettings settings, string workDir, Action<string> log)
    {
        var outDir = Path.Combine(workDir, "run");
        var args = new List<string> { "train" };
        args.AddRange(dataArgs);
        args.AddRange(["--out", outDir, "--force", "--threads", settings.Threads.ToString(CultureInfo.InvariantCulture), "--device", "cpu"]);
        // This build's caches stay in the work folder, not the user's cache folder (the parent build has no cache).
        if (trainer == ThisTrainer) args.AddRange(["--cache-dir", Path.Combine(workDir, "cache")]);
        log($"{build}: vqvae-train {string.Join(' ', args)}");
        var run = MonitoredProcess.Run(trainer, args, workDir, Marker).EnsureSucceeded($"vqvae-train ({build})");
        int epochs = settings.FolderEpochs;
        // Windows: loading (up to the start line), one per epoch, then the tail (pictures).
        int epochCount = run.WindowPeakRssBytes.Count - 2;
        var perEpoch = TrainingBench.ReadImagesPerSecond(Path.Combine(outDir, TrainingLoop.MetricsFile));
        if (perEpoch.Count != epochCount || epochCount < 2)
            throw new InvalidDataException($"vqvae-train ({build}) printed {epochCount} epoch lines and {perEpoch.Count} metrics rows:\n{run.Stdout}");
        var cacheLines = string.Join("; ", CacheLine.Matches(run.Stdout).Select(m => m.Value.Trim()));
        return new DataPathRun(build, Path.GetFileName(dataArgs[3]), images, new Samples(perEpoch.Skip(1).ToArray()),
            run.MarkerSeconds[0], run.WindowPeakRssBytes[0], run.WindowPeakRssBytes.Skip(2).Take(epochCount - 1).Max(), run.PeakRssBytes,
            cacheLines);
    }

    static long DirectorySize(string folder) => new DirectoryInfo(folder).GetFiles().Sum(f => f.Length);

    public static IReadOnlyList<ReportTable> Tables(
        DataCacheSettings s, MachineInfo machine, string command, DateTimeOffset started, double seconds,
        List<DataPathRun> folder, List<DataPathRun> presets)
    {
        static string Mb(long bytes) => (bytes / 1e6).ToString("F0", CultureInfo.InvariantCulture);
        var run = new ReportTable("Machine and run", ["", ""],
        [
            ["command", command],
            ["date", started.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)],
            ["CPU", $"{machine.CpuModel}, {machine.LogicalCores} logical cores; {machine.VectorUnits}"],
            ["threads", $"{s.Threads} (vqvae-train --threads)"],
            ["bench time", $"{seconds:F0} s"],
        ], s.Quick ? ["QUICK MODE: tiny counts to check the bench runs; these figures are not the benchmark."] : []);

        var folderRows = folder.Select(r => (IReadOnlyList<string>)
        [
            r.Images.ToString("N0", CultureInfo.InvariantCulture), r.Build, $"{r.DataReadySeconds:F1}", Mb(r.LoadingPeakRss), Mb(r.EpochsPeakRss), Mb(r.RunPeakRss),
            r.ImagesPerSecond.Describe(),
        ]).ToList();
        var folderTable = new ReportTable($"Training from a folder of generated {s.ImageSize}×{s.ImageSize} RGB PNGs",
            ["images", "build", "training starts after (s)", "peak RSS loading (MB)", $"peak RSS epochs 2–{s.FolderEpochs} (MB)", "peak RSS whole run (MB)", "training images/s"],
            folderRows,
        [
            $"`vqvae-train train --preset pokemon --image-size {s.ImageSize} --channels 3 --patch-size 4 --hidden-size 32 --codebook-size 32 --batch-size 128 --epochs {s.FolderEpochs} --max-steps-per-epoch {s.FolderSteps} --threads {s.Threads}`: a small model, so the data path weighs in each step; validation (20 % of the folder) after each epoch.",
            "parent build: the commit before the cache (every image decoded into one float32 array, split into copies, made a tensor); this build: cache built on the first run (decoded on every core into the cache folder), mapped as it is on the second.",
            "training starts after: seconds from process start to the trainer's start line (data loaded or cache opened, model built). Peak RSS: the largest VmRSS/VmHWM sampled every 50 ms, up to that line, over epochs 2 to the last, and over the whole run.",
            $"training images/s: the trainer's metrics.csv, median over epochs 2–{s.FolderEpochs} (min–max).",
        ]);

        var presetRows = new List<IReadOnlyList<string>>();
        foreach (var preset in presets.Select(p => p.Data).Distinct())
        {
            var before = presets.Where(p => p.Data == preset && p.Build.StartsWith("parent")).ToList();
            var after = presets.Where(p => p.Data == preset && !p.Build.StartsWith("parent")).ToList();
            var ratios = before.Zip(after, (b, a) => a.ImagesPerSecond.Median / b.ImagesPerSecond.Median).ToArray();
            presetRows.Add(
            [
                preset, new Samples(before.SelectMany(b => b.ImagesPerSecond.Values).ToArray()).Describe(),
                new Samples(after.SelectMany(a => a.ImagesPerSecond.Values).ToArray()).Describe(),
                $"{new Samples(ratios).Median:F2}×", $"{Mb(before.Max(b => b.RunPeakRss))} / {Mb(after.Max(a => a.RunPeakRss))}",
            ]);
        }
        var presetTable = new ReportTable("Small presets: parent build against this build",
            ["preset", "parent build images/s", "this build images/s", "this / parent (median of pair ratios)", "peak RSS MB (parent / this)"],
            presetRows,
        [
            $"`vqvae-train train --preset P --epochs {s.PresetEpochs} --threads {s.Threads}` (MNIST: {s.MnistSteps} steps per epoch of the 9,003 fetched digits, 997 validated; Pokémon: {(s.PokemonSteps > 0 ? $"{s.PokemonSteps} steps" : "whole epochs")}), {s.Pairs} pairs run parent, this, parent, this; images/s of epochs 2–{s.PresetEpochs} of every run of a build (median, min–max).",
        ]);
        return [run, folderTable, presetTable];
    }
}
