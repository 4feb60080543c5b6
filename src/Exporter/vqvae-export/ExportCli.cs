using System.CommandLine;
using Spectre.Console;
using VqVae.Checkpoints;
using VqVae.Cli;
using VqVae.Exporter.Graphs;
using VqVae.Exporter.Prior;
using VqVae.Exporter.Verification;
using VqVae.Prior;

namespace VqVae.Exporter.Cli;

/// <summary>
/// <c>vqvae-export --model DIR [--out DIR] [--int8] [--verify] [--force]</c>. Exit codes: 0 done, 1 verification
/// beyond tolerance (int8: below its targets), 2 bad input (one line on stderr naming the file and the problem).
/// </summary>
public static class ExportCli
{
    public const int Ok = 0;
    public const int VerificationFailed = 1;
    public const int BadInput = 2;

    /// <param name="validationImages">
    /// Supplies real images ([M, C, H, W] flattened, 0..1) for --verify from the checkpoint's
    /// configuration, or null when there are none; random inputs are always checked as well.
    /// </param>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<CheckpointInfo, float[]?>? validationImages = null)
    {
        var parsed = Root(output, error, validationImages).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"vqvae-export: {CliMessages.Plain(parsed.Errors[0].Message)}");
            return BadInput;
        }
        // Unhandled exceptions reach CliHost (one line, trace in a log file), not System.CommandLine's printer.
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The command (the tests walk it, with the other CLIs' trees, to find every command that writes an output).</summary>
    public static RootCommand Root(TextWriter output, TextWriter error, Func<CheckpointInfo, float[]?>? validationImages = null)
    {
        var model = new Option<string>("--model") { Description = "Training output folder (its best/ checkpoint is exported) or a checkpoint folder", Required = true };
        var outDir = new Option<string?>("--out") { Description = "Output folder (default: <model>/onnx)" };
        var verify = new Option<bool>("--verify") { Description = "Run the graphs in ONNX Runtime against TorchSharp and print the differences" };
        var force = new Option<bool>("--force") { Description = "Replace an existing output folder" };
        var int8 = new Option<bool>("--int8") { Description = "Write an int8 decoder (per-channel int8 weights, dynamically quantized activations) beside the float32 encoder and quantizer, so the codes are float32's; a decoder exported as a table of its codes stays float32 (nothing to quantize); default output <model>/onnx-int8" };
        var int8Encoder = new Option<bool>("--int8-encoder") { Description = "With --int8: the encoder's Linear in int8 too (faster; a code can then differ from float32's where two codes are almost equally near)" };
        var root = new RootCommand("Exports a trained VQ-VAE checkpoint as encoder, quantizer and decoder ONNX graphs.")
        {
            model, outDir, verify, force, int8, int8Encoder,
        };
        root.Subcommands.Add(ImportCommand.Create(output, error));
        root.Validators.Add(result =>
        {
            if (result.GetValue(int8Encoder) && !result.GetValue(int8)) result.AddError("--int8-encoder: needs --int8");
        });
        root.SetAction(parse => Execute(parse.GetValue(model)!, parse.GetValue(outDir), parse.GetValue(verify), parse.GetValue(force),
            parse.GetValue(int8) ? GraphPrecision.Int8 : GraphPrecision.Float32,
            parse.GetValue(int8Encoder) ? Int8Scope.EncoderAndDecoder : Int8Scope.Decoder, output, error, validationImages));
        return root;
    }

    static int Execute(string modelPath, string? outDir, bool verify, bool force, GraphPrecision precision, Int8Scope int8Scope, TextWriter output, TextWriter error,
        Func<CheckpointInfo, float[]?>? validationImages)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        // Written to a file, a pipe or a test's writer, tables keep their natural width instead of wrapping at 80 columns.
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected) console.Profile.Width = 200;
        try
        {
            var result = VqVaeOnnxExporter.ExportCheckpoint(modelPath, outDir, force, precision, int8Scope);
            output.WriteLine($"Exported {result.CheckpointDirectory} → {result.OutputDirectory}");
            console.Write(GraphTable(result));
            if (precision == GraphPrecision.Int8 && result.DecoderTableCodes is { } codes)
                output.WriteLine($"decoder: a table of {codes} codes' patches, kept in float32 (nothing to quantize)" +
                    (int8Scope == Int8Scope.Decoder ? "; the encoder and quantizer are float32 too, so no graph here is int8 (--int8-encoder quantizes the encoder)" : ""));
            if (!verify) return Ok;

            var (torchModel, info) = Checkpoint.Load(result.CheckpointDirectory!);
            using (torchModel)
            {
                var images = validationImages?.Invoke(info);
                if (precision == GraphPrecision.Int8) return Int8Verification.Run(torchModel, result.OutputDirectory, images, console, output, error);
                var report = OnnxVerifier.Verify(torchModel, result.OutputDirectory, new VerifyOptions { Images = images });
                console.Write(ReportTable(report));
                output.WriteLine(report.UsedImages ? "Inputs: validation images and random images/codes." : "Inputs: random images and codes (no validation images available).");
                bool priorPassed = VerifyPrior(modelPath, result, output);
                if (report.Passed && priorPassed) { output.WriteLine("Verification passed."); return Ok; }
                if (!priorPassed)
                {
                    error.WriteLine($"vqvae-export: {result.OutputDirectory}: {OnnxContract.PriorFile} differs from the TorchSharp prior beyond tolerance {PriorVerifier.Tolerance:g}");
                    return VerificationFailed;
                }
                error.WriteLine($"vqvae-export: {result.OutputDirectory}: ONNX graphs differ from the TorchSharp model beyond tolerance {report.Tolerance:g}");
                return VerificationFailed;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException && !DiskFull.Is(e))
        {
            error.WriteLine($"vqvae-export: {OneLine(e.Message)}");
            return BadInput;
        }
    }

    /// <summary>prior.onnx, when the export wrote one, against the prior it came from: logits on random code maps, batches 1, 3, 64.</summary>
    static bool VerifyPrior(string modelPath, ExportResult result, TextWriter output)
    {
        var onnx = Path.Combine(result.OutputDirectory, OnnxContract.PriorFile);
        if (!File.Exists(onnx) || PriorExport.FindPrior(modelPath) is not { } priorPath) return true;
        var (prior, _) = PriorCheckpoint.Load(priorPath);
        using (prior)
        {
            double diff = PriorVerifier.MaxLogitDifference(prior, onnx);
            bool passed = diff <= PriorVerifier.Tolerance;
            output.WriteLine($"prior logits: max |ORT − Torch| {diff:E2} (tolerance {PriorVerifier.Tolerance:E0}, random code maps, batch sizes 1, 3, 64){(passed ? "" : " FAIL")}");
            return passed;
        }
    }

    static Table GraphTable(ExportResult result)
    {
        var table = new Table().AddColumns("graph", "inputs", "outputs", "size");
        foreach (var g in result.Graphs)
            table.AddRow(Markup.Escape(g.File), Markup.Escape(Values(g.Inputs)), Markup.Escape(Values(g.Outputs)), $"{g.Bytes / 1024.0:F1} KiB");
        return table;
    }

    static string Values(IReadOnlyList<GraphValue> values) =>
        string.Join("\n", values.Select(v => $"{v.Name} {v.ElementType} {v.Shape}"));

    static Table ReportTable(VerificationReport r)
    {
        var table = new Table().AddColumns("check", "max |ORT − Torch|", "tolerance");
        string Row(double d) => d <= r.Tolerance ? $"{d:E2}" : $"{d:E2} (FAIL)";
        table.AddRow("encoder z_e", Row(r.EncoderMaxDiff), $"{r.Tolerance:E0}");
        table.AddRow("quantizer z_q", Row(r.QuantizerMaxDiff), $"{r.Tolerance:E0}");
        table.AddRow("decoder reconstruction", Row(r.DecoderMaxDiff), $"{r.Tolerance:E0}");
        table.AddRow("chain encoder→quantizer→decoder", Row(r.ChainMaxDiff), $"{r.Tolerance:E0}");
        table.AddRow("codes", $"{r.CodesCompared} compared, {r.CodeTies} ties, {r.CodeMismatches} mismatches", "0 mismatches");
        table.Caption($"batch sizes {string.Join(", ", r.BatchSizes)}; ONNX Runtime {r.Optimization}");
        return table;
    }

    static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
