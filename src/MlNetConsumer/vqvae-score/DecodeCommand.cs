using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Cli;

/// <summary>`decode --model DIR --codes codes.csv --out DIR [--originals DIR] [--gpu ID] [--no-cpu-fallback] [--force]`.</summary>
internal static class DecodeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var model = ScoreCli.RequiredPath("--model", "folder with decoder.onnx (or a training output folder with it in onnx/)");
        var codes = ScoreCli.RequiredPath("--codes", "codes.csv written by score");
        var output = ScoreCli.RequiredPath("--out", "output folder: reconstructions/, summary.json");
        var originals = new Option<string?>("--originals")
        {
            Description = "folder of the images the codes were made from (the --images of score): also writes metrics.csv (MSE, PSNR, SSIM against them)",
        };
        var gpu = ScoreCli.Gpu();
        var noFallback = ScoreCli.NoCpuFallback();
        var verbose = ScoreCli.Verbose();
        var force = ScoreCli.Force();
        var command = new Command("decode", "Rebuild images from a codes.csv with the decoder graph alone.")
        {
            model, codes, output, originals, gpu, noFallback, verbose, force,
        };
        command.SetAction(parse => ScoreCli.Guarded(stderr, () => Run(
            parse.GetValue(model)!, parse.GetValue(codes)!, parse.GetValue(output)!, parse.GetValue(originals), parse.GetValue(gpu),
            !parse.GetValue(noFallback), parse.GetValue(verbose), parse.GetValue(force), stdout, stderr)));
        return command;
    }

    static int Run(string modelDir, string codesPath, string outputDir, string? originalsDir, int? gpu, bool fallbackToCpu, bool nativeLog, bool force,
        TextWriter stdout, TextWriter stderr)
    {
        var model = VqVaeModelFolder.OpenDecoder(modelDir);
        var codesFile = Path.GetFullPath(codesPath);
        if (!File.Exists(codesFile)) throw new FileNotFoundException($"{codesFile}: codes file not found");
        var originals = originalsDir is null ? null : new OriginalImages(originalsDir, model);
        (string, string)[] inputs = originals is null
            ? [("--codes", codesFile), ("--model", model.Folder)]
            : [("--codes", codesFile), ("--model", model.Folder), ("--originals", originals.Folder)];
        var output = OutputFolder.Check(outputDir, force, ScoreCli.Tool, inputs, runs: [("--model", modelDir)]);

        var options = new VqVaePipelineOptions { GpuDeviceId = gpu, FallbackToCpu = fallbackToCpu, NativeLog = nativeLog, ReconstructionImage = false };
        var scoring = VqVaeScoringModel.ForCodes(new MLContext(seed: 0), model, options);
        ScoreCli.ReportProvider(stderr, scoring.Provider);

        int total = Math.Max(0, File.ReadLines(codesFile).Count() - 1);
        RunSummary summary = null!;
        OutputFolder.Write(output, ScoreCli.Tool, temp =>
        {
            using var reader = new StreamReader(codesFile);
            summary = CliProgress.Run(stdout, "decoding", total, tick =>
                new CodesDecoder(scoring, model).Decode(reader, codesFile, temp, (path, problem) =>
                {
                    if (problem is not null) stderr.WriteLine($"failed: {path}: {problem}");
                    tick();
                }, originals));
            AtomicFile.WriteAllText(Path.Combine(temp, FolderScorer.SummaryFile), summary.ToJson());
        });

        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "decoded {0} of {1} rows ({2} failed) in {3:F1}s on {4}",
            summary.Scored, summary.Found, summary.Failed, summary.Seconds, summary.ExecutionProvider));
        ScoreCli.WriteMeans(stdout, summary);
        stdout.WriteLine($"wrote {output}");
        return summary.Failed > 0 ? ScoreCli.SomeFailed : ScoreCli.Ok;
    }
}
