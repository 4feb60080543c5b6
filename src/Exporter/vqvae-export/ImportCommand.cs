using System.CommandLine;
using VqVae.Exporter.Import;

namespace VqVae.Exporter.Cli;

/// <summary>
/// <c>vqvae-export import --encoder E.onnx --decoder D.onnx --codebook C.npy --out DIR</c>: graphs a PyTorch user wrote
/// with torch.onnx.export become a model folder that vqvae-score and the ML.NET library take like an exported one.
/// </summary>
public static class ImportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var encoder = new Option<string>("--encoder") { Description = "The encoder graph: images [N, C, H, W] → latents", Required = true };
        var decoder = new Option<string>("--decoder") { Description = "The decoder graph: latents (or codes) → images", Required = true };
        var codebook = new Option<string>("--codebook") { Description = "The codebook as .npy, float32 [K, D] (np.save of codebook.weight)", Required = true };
        var decoderInput = Choice("--decoder-input", ImportOptionValues.DecoderInputs, "What the decoder takes: z_q NCHW (the post's decoder), z_q NHWC, or the codes");
        var encoderOutput = Choice("--encoder-output", ImportOptionValues.EncoderOutputs, "The encoder's output layout: NHWC [N, h, w, D] (the post's encoder) or NCHW [N, D, h, w]");
        var decoderOutput = Choice("--decoder-output", ImportOptionValues.DecoderOutputs, "What the decoder gives: pixels after its sigmoid, or logits (the import adds the sigmoid)");
        var pixelRange = Choice("--pixel-range", ImportOptionValues.PixelRanges, "The pixel values the model was trained on: 0,1 (ToTensor) or -1,1");
        var imageSize = new Option<int?>("--image-size") { Description = "Square image size to probe at when the encoder's H and W are dynamic" };
        var outDir = new Option<string>("--out") { Description = "Model folder to write", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a model folder this tool wrote" };
        var command = new Command("import", "Import an encoder and a decoder from torch.onnx.export and a codebook .npy as a model folder for vqvae-score and ML.NET.")
        {
            encoder, decoder, codebook, decoderInput, encoderOutput, decoderOutput, pixelRange, imageSize, outDir, force,
        };
        command.SetAction(parse =>
        {
            var options = new GraphImportOptions
            {
                Encoder = parse.GetValue(encoder)!, Decoder = parse.GetValue(decoder)!, Codebook = parse.GetValue(codebook)!,
                DecoderInput = ImportOptionValues.DecoderInputs[parse.GetValue(decoderInput)!],
                EncoderOutput = ImportOptionValues.EncoderOutputs[parse.GetValue(encoderOutput)!],
                DecoderOutput = ImportOptionValues.DecoderOutputs[parse.GetValue(decoderOutput)!],
                PixelRange = ImportOptionValues.PixelRanges[parse.GetValue(pixelRange)!],
                ImageSize = parse.GetValue(imageSize),
            };
            if (options.ImageSize is < 1) { error.WriteLine($"vqvae-export: --image-size {options.ImageSize}: must be at least 1"); return ExportCli.BadInput; }
            try
            {
                var result = GraphImport.Import(options, parse.GetValue(outDir)!, parse.GetValue(force));
                var c = OnnxModelInfo.Read(result.Graphs[0].Path).Model;
                output.WriteLine($"Imported {options.Encoder}, {options.Decoder} and {options.Codebook} → {result.OutputDirectory}");
                output.WriteLine($"image {c.Channels}x{c.Height}x{c.Width}, latent grid {c.LatentHeight}x{c.LatentWidth}, D = {c.HiddenSize}, K = {c.CodebookSize}");
                return ExportCli.Ok;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException && !DiskFull.Is(e))
            {
                error.WriteLine($"vqvae-export: {e.Message.ReplaceLineEndings(" ")}");
                return ExportCli.BadInput;
            }
        });
        return command;
    }

    static Option<string> Choice<T>(string name, IReadOnlyDictionary<string, T> values, string description)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => values.Keys.First() };
        option.AcceptOnlyFromAmong([.. values.Keys]);
        return option;
    }
}
