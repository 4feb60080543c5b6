// Scores a few images with exported VQ-VAE graphs through ML.NET, saves and reloads the ML.NET model,
// writes the codes to codes.txt and decodes one code grid back into a PNG:
//   dotnet run --project samples/VqVaeMl.Sample -- MODEL_DIR IMAGES_DIR OUT_DIR
using Microsoft.ML;
using VqVaeMl.MlNet;
using VqVaeMl.MlNet.Scoring;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: VqVaeMl.Sample MODEL_DIR IMAGES_DIR OUT_DIR");
    return 2;
}
var (modelDir, imagesDir, outDir) = (args[0], args[1], args[2]);
Directory.CreateDirectory(outDir);

var model = VqVaeModelFolder.Open(modelDir);                    // the three graphs; sizes from their metadata
var ml = new MLContext(seed: 0);
// CUDA when this machine has it; this app references the CPU runtime, so it says why it runs on CPU.
var scoring = VqVaeScoringModel.ForImages(ml, model, new VqVaePipelineOptions { GpuDeviceId = 0, FallbackToCpu = true });
Console.WriteLine($"execution provider: {scoring.ExecutionProvider}" +
                  (scoring.Provider.FallbackReason is { } why ? $" ({why})" : ""));

var engine = scoring.CreateImageEngine<VqVaePrediction>();
var images = Directory.GetFiles(imagesDir, "*.png").Order(StringComparer.Ordinal).Take(4).ToList();
var codes = new List<long[]>();
foreach (var path in images)
{
    var p = engine.Predict(new VqVaeImageInput { ImagePath = Path.GetFullPath(path) });
    codes.Add(p.Codes);
    Console.WriteLine($"{Path.GetFileName(path)}: {p.Codes.Length} codes: {string.Join(' ', p.Codes.Take(8))} …");
}

var zip = Path.Combine(outDir, "vqvae.zip");
scoring.Save(zip);
var reloaded = VqVaeScoringModel.Load(new MLContext(seed: 0), zip).CreateImageEngine<VqVaePrediction>();
for (int i = 0; i < images.Count; i++)
{
    var again = reloaded.Predict(new VqVaeImageInput { ImagePath = Path.GetFullPath(images[i]) });
    if (!again.Codes.SequenceEqual(codes[i]))
    {
        Console.Error.WriteLine($"{zip}: the reloaded model gives other codes for {images[i]}");
        return 1;
    }
}
Console.WriteLine($"saved and reloaded {zip}: same codes for {images.Count} images");

// Every code of every image, one image a line, to compare runs (on Linux and on Windows, say) exactly.
var codesTxt = Path.Combine(outDir, "codes.txt");
File.WriteAllLines(codesTxt, images.Select((path, i) => $"{Path.GetFileName(path)}: {string.Join(' ', codes[i])}"));
Console.WriteLine($"wrote the codes of {images.Count} images to {codesTxt}");

var decoder = VqVaeScoringModel.ForCodes(ml, VqVaeModelFolder.OpenDecoder(modelDir));
var decoded = decoder.CreateCodesEngine<VqVaeDecoded>().Predict(new VqVaeCodesInput { Codes = codes[0] });
var png = Path.Combine(outDir, "decoded.png");
var c = model.Config;
File.WriteAllBytes(png, ReconstructionPng.Encode(decoded.Reconstruction, c.Channels, c.Height, c.Width));
Console.WriteLine($"decoded the codes of {Path.GetFileName(images[0])} into {png}");
return 0;
