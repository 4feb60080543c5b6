using Microsoft.ML;
using VqVae.Exporter.Import;
using VqVae.TestSupport;

namespace VqVaeMl.MlNet.Tests;

/// <summary>
/// A folder made by `vqvae-export import` from PyTorch's torch.onnx graphs opens in the ML.NET library like an exported
/// one, and its image pipeline gives PyTorch's codes and reconstructions for the fixture images.
/// </summary>
public sealed class ImportedFolderTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-imported-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Theory]
    [InlineData(PyTorchFixtures.Mnist)]
    [InlineData(PyTorchFixtures.Rgb)]
    public void The_ML_NET_pipeline_on_an_imported_folder_gives_PyTorchs_codes_and_reconstructions(string name)
    {
        var outDir = Path.Combine(temp, name);
        GraphImport.Import(new GraphImportOptions
        {
            Encoder = PyTorchFixtures.File(name, "encoder.onnx"),
            Decoder = PyTorchFixtures.File(name, "decoder.onnx"),
            Codebook = PyTorchFixtures.File(name, "codebook.npy"),
        }, outDir, force: false);

        var folder = VqVaeModelFolder.Open(outDir);
        Assert.Equal(Arch.Imported, folder.Config.Arch);
        var engine = VqVaeScoringModel.ForImages(new MLContext(seed: 0), folder).CreateImageEngine<VqVaePrediction>();
        var codes = PyTorchFixtures.Npy(name, "codes.npy").Longs!;
        var recon = PyTorchFixtures.Npy(name, "recon.npy").Floats!;
        var images = Directory.GetFiles(Path.Combine(PyTorchFixtures.Folder(name), "images")).OrderBy(f => int.Parse(Path.GetFileName(f).Split('_')[0])).ToArray();
        for (int i = 0; i < images.Length; i++)
        {
            var p = engine.Predict(new VqVaeImageInput { ImagePath = images[i] });
            Assert.Equal(codes.AsSpan(i * folder.CodeCount, folder.CodeCount).ToArray(), p.Codes);
            var expected = recon.AsSpan(i * folder.PixelCount, folder.PixelCount).ToArray();
            double worst = expected.Zip(p.Reconstruction).Max(q => Math.Abs((double)q.First - q.Second));
            Assert.True(worst <= 1e-5, $"{Path.GetFileName(images[i])}: reconstruction differs from PyTorch's by {worst:E2}");
        }
    }
}
