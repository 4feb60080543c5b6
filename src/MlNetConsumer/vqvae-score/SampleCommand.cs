using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VqVaeMl.MlNet.Generation;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Cli;

/// <summary>
/// `sample --model DIR --count N [--label C] [--temperature T] [--seed S] --out DIR [--threads N] [--force]`:
/// new images from prior.onnx and decoder.onnx. Writes samples/sample-NNNN.png, codes.csv (as `score`
/// writes it, so `decode` reads it), sample-grid.png and summary.json.
/// </summary>
internal static class SampleCommand
{
    public const string SamplesFolder = "samples";
    public const string GridFile = "sample-grid.png";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = ScoreCli.RequiredPath("--model", "folder with prior.onnx and decoder.onnx (or a training output folder with them in onnx/)");
        var output = ScoreCli.RequiredPath("--out", "output folder: samples/, codes.csv, sample-grid.png, summary.json");
        var count = new Option<int>("--count") { Description = "how many images to draw", DefaultValueFactory = _ => 100 };
        var label = new Option<int?>("--label") { Description = "class of every sample (conditional priors; default: the classes in turn)" };
        var temperature = new Option<double>("--temperature") { Description = "divides the logits before the softmax: below 1 sharper, above 1 more varied", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { Description = "the same seed draws the same codes", DefaultValueFactory = _ => 0 };
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads (default: one per physical core)" };
        var force = ScoreCli.Force();
        var command = new Command("sample", "Draw new images: code maps from prior.onnx, decoded by decoder.onnx.")
        {
            model, output, count, label, temperature, seed, threads, force,
        };
        command.SetAction(parse => ScoreCli.Guarded(stderr, () => Run(
            parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(count), parse.GetValue(label), parse.GetValue(temperature),
            parse.GetValue(seed), parse.GetValue(threads), parse.GetValue(force), stdout)));
        return command;
    }

    static int Run(string modelDir, string outputDir, int count, int? label, double temperature, int seed, int? threads, bool force, TextWriter stdout)
    {
        if (count < 1) throw new UsageException($"--count must be at least 1, not {count}");
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new UsageException($"--temperature must be a positive number, not {temperature}");
        if (threads is < 1) throw new UsageException($"--threads must be at least 1, not {threads}");
        OptionLimits.Threads("--threads", threads);
        using var sampler = PriorSampler.Open(modelDir, threads);
        OptionLimits.Memory("--count", count, sampler.BytesPerSample, "drawing that many samples at once", sampler.ElementsPerSample);
        var output = OutputFolder.Check(outputDir, force, ScoreCli.Tool, [("--model", sampler.Model.Folder)], runs: [("--model", modelDir)]);
        if (label is not null && !sampler.Config.IsConditional) throw new UsageException($"--label: {sampler.PriorPath} is not class-conditional");
        if (label is int l && (l < 0 || l >= sampler.Config.ClassCount))
            throw new UsageException($"--label {l}: the prior knows classes 0..{sampler.Config.ClassCount - 1}");

        var clock = Stopwatch.StartNew();
        var batch = sampler.Sample(count, label, temperature, seed);
        double seconds = clock.Elapsed.TotalSeconds;

        var m = sampler.Model.Config;
        var c = sampler.Config;
        OutputFolder.Write(output, ScoreCli.Tool, temp =>
        {
            var samples = Directory.CreateDirectory(Path.Combine(temp, SamplesFolder)).FullName;
            using (var csv = new StreamWriter(Path.Combine(temp, FolderScorer.CodesFile)))
            {
                CodesCsv.WriteHeader(csv, c.CodeCount);
                for (int n = 0; n < count; n++)
                {
                    var name = $"sample-{n:D4}.png";
                    CodesCsv.WriteRow(csv, name, c.Height, c.Width, batch.Codes.AsSpan(n * c.CodeCount, c.CodeCount));
                    File.WriteAllBytes(Path.Combine(samples, name),
                        ReconstructionPng.Encode(batch.Images.AsSpan(n * sampler.Model.PixelCount, sampler.Model.PixelCount), m.Channels, m.Height, m.Width));
                }
            }
            ImageGrid.Save(Path.Combine(temp, GridFile), batch.Images, count, m.Channels, m.Height, m.Width, columns: 10, scale: m.Height < 32 ? 2 : 1);
            var summary = new
            {
                command = "sample", model = sampler.Model.Folder, prior = sampler.PriorPath, count, label, temperature, seed,
                seconds, samples_per_second = count / seconds,
            };
            File.WriteAllText(Path.Combine(temp, FolderScorer.SummaryFile), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        });
        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "sampled {0} images ({1}×{2} codes each) in {3:F2}s: {4:F1} samples/s",
            count, c.Height, c.Width, seconds, count / seconds));
        stdout.WriteLine($"wrote {output}");
        return ScoreCli.Ok;
    }
}
