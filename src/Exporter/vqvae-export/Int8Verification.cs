using Spectre.Console;
using VqVae.Exporter.Verification;
using VqVae.Model;

namespace VqVae.Exporter.Cli;

/// <summary><c>vqvae-export --int8 --verify</c>: the int8 graphs against the TorchSharp float32 model, printed, judged by <see cref="Int8Report"/>'s targets.</summary>
static class Int8Verification
{
    /// <summary>Random images stand in when the run's validation images are gone; their codes say less, and the output says so.</summary>
    const int RandomImages = 256;

    public static int Run(VqVaeModel model, string int8Dir, float[]? validation, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var c = model.Config;
        bool real = validation is { Length: > 0 };
        var images = real ? validation! : RandomPixels(RandomImages * c.Channels * c.Height * c.Width);
        var r = Int8Verifier.Verify(model, int8Dir, images, real);

        var table = new Table().AddColumns("check", "int8", "float32 (TorchSharp)", "target");
        table.AddRow("codes identical to float32", $"{r.CodesIdenticalShare:P2} ({r.CodesIdentical:N0} of {r.CodesCompared:N0})", "", $"≥ {Int8Report.MinCodesIdentical:P0}");
        table.AddRow("codes differing, within 1 % of a tie", $"{r.NearTies:N0} of {r.CodesCompared - r.CodesIdentical:N0} differing", "", "");
        table.AddRow("reconstruction PSNR vs input", $"{r.Int8Psnr:F2} dB", $"{r.Float32Psnr:F2} dB", $"loss ≤ {Int8Report.MaxPsnrLoss} dB (loss {r.PsnrLoss:F2} dB)");
        table.AddRow("int8 reconstruction vs float32's", $"{r.Int8VsFloat32Psnr:F2} dB PSNR", "", "");
        table.Caption($"{r.Images} images, batches of 64; the folder's encoder → quantizer → decoder in ONNX Runtime against TorchSharp's forward pass");
        console.Write(table);
        output.WriteLine(r.Int8Graphs.Count == 0 ? "int8 graphs: none (every graph of this folder is float32)" : $"int8 graphs: {string.Join(", ", r.Int8Graphs)}");
        output.WriteLine(real ? "Inputs: the run's validation images." : $"Inputs: {RandomImages} random images (no validation images available).");
        if (r.Passed) { output.WriteLine("Verification passed."); return ExportCli.Ok; }
        error.WriteLine($"vqvae-export: {int8Dir}: int8 graphs below target: {r.CodesIdenticalShare:P2} codes identical " +
            $"(target ≥ {Int8Report.MinCodesIdentical:P0}), PSNR loss {r.PsnrLoss:F2} dB (target ≤ {Int8Report.MaxPsnrLoss} dB)");
        return ExportCli.VerificationFailed;
    }

    static float[] RandomPixels(int count)
    {
        var random = new Random(1);
        var pixels = new float[count];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        return pixels;
    }
}
