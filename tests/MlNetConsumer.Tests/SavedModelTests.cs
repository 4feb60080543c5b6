using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;
using VqVae.TestSupport;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>The fitted pipeline's .zip round trip, the decode-only path and the ConvertToImage step.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class SavedModelTests(TrainedModels models) : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-mlnet-saved-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    public static TheoryData<string> Cases => new() { "gray", "rgb" };
    TrainedModel Case(string name) => name == "gray" ? models.Gray : models.Rgb;

    [Theory, MemberData(nameof(Cases))]
    public void A_saved_and_reloaded_pipeline_gives_identical_outputs(string name)
    {
        var c = Case(name);
        var scoring = VqVaeScoringModel.ForImages(new MLContext(seed: 0), VqVaeModelFolder.Open(c.OnnxDir));
        var zip = Path.Combine(temp, $"{name}.zip");
        scoring.Save(zip);
        // The .zip carries the graphs: the model folder may be gone when it is loaded.
        var copy = Path.Combine(temp, $"{name}-moved.zip");
        File.Move(zip, copy);
        var loaded = VqVaeScoringModel.Load(new MLContext(seed: 1), copy);

        var before = scoring.CreateImageEngine<VqVaePrediction>();
        var after = loaded.CreateImageEngine<VqVaePrediction>();
        foreach (var relative in c.Images)
        {
            var input = new VqVaeImageInput { ImagePath = Path.Combine(c.ImagesFolder, relative) };
            var (a, b) = (before.Predict(input), after.Predict(input));
            Assert.Equal(a.Pixels, b.Pixels);
            Assert.Equal(a.Codes, b.Codes);
            Assert.Equal(a.Reconstruction, b.Reconstruction);
        }
    }

    [Fact]
    public void A_zip_loaded_into_a_context_asking_for_cuda_runs_where_it_can_with_identical_outputs()
    {
        var c = models.Gray;
        var model = VqVaeModelFolder.Open(c.OnnxDir);
        var scoring = VqVaeScoringModel.ForImages(new MLContext(seed: 0), model);
        var zip = Path.Combine(temp, "gpu.zip");
        scoring.Save(zip);
        var loaded = VqVaeScoringModel.Load(new MLContext(seed: 0) { GpuDeviceId = 0, FallbackToCpu = true }, zip);
        Assert.Equal(ExecutionProviderProbe.Choose(model.DecoderPath, 0, fallbackToCpu: true).Provider, loaded.ExecutionProvider);

        var (before, after) = (scoring.CreateImageEngine<VqVaePrediction>(), loaded.CreateImageEngine<VqVaePrediction>());
        foreach (var relative in c.Images.Take(6))
        {
            var input = new VqVaeImageInput { ImagePath = Path.Combine(c.ImagesFolder, relative) };
            Assert.Equal(before.Predict(input).Codes, after.Predict(input).Codes);
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void The_decoder_graph_alone_rebuilds_the_pipelines_reconstructions_from_codes(string name)
    {
        var c = Case(name);
        var full = VqVaeScoringModel.ForImages(new MLContext(seed: 0), VqVaeModelFolder.Open(c.OnnxDir)).CreateImageEngine<VqVaePrediction>();
        var decoderOnly = Path.Combine(temp, $"{name}-decoder");
        Directory.CreateDirectory(decoderOnly);
        File.Copy(Path.Combine(c.OnnxDir, OnnxContract.DecoderFile), Path.Combine(decoderOnly, OnnxContract.DecoderFile));
        var model = VqVaeModelFolder.OpenDecoder(decoderOnly);
        Assert.False(model.HasEncoder);
        var decode = VqVaeScoringModel.ForCodes(new MLContext(seed: 0), model).CreateCodesEngine<VqVaeDecoded>();
        foreach (var relative in c.Images)
        {
            var p = full.Predict(new VqVaeImageInput { ImagePath = Path.Combine(c.ImagesFolder, relative) });
            Assert.Equal(p.Reconstruction, decode.Predict(new VqVaeCodesInput { Codes = p.Codes }).Reconstruction);
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void ConvertToImage_and_the_png_writer_give_the_same_opaque_pixels(string name)
    {
        var c = Case(name);
        var ml = new MLContext(seed: 0);
        var scoring = VqVaeScoringModel.ForImages(ml, VqVaeModelFolder.Open(c.OnnxDir));
        var inputs = c.Images.Select(r => new VqVaeImageInput { ImagePath = Path.Combine(c.ImagesFolder, r) }).ToList();
        var transformed = scoring.Transformer.Transform(ml.Data.LoadFromEnumerable(inputs));
        var reconstructions = transformed.GetColumn<float[]>(OnnxContract.Reconstruction).ToList();
        var images = transformed.GetColumn<MLImage>(VqVaeColumns.ReconstructionImage).ToList();
        int plane = c.Config.Height * c.Config.Width;
        for (int n = 0; n < inputs.Count; n++)
        {
            using var image = images[n];
            Assert.Equal(MLPixelFormat.Bgra32, image.PixelFormat);
            var bgra = image.Pixels.ToArray();
            var png = ReconstructionPng.Encode(reconstructions[n], c.Config.Channels, c.Config.Height, c.Config.Width);
            using var decoded = SKBitmap.Decode(png).Copy(SKColorType.Rgba8888);
            var rgba = decoded.Bytes;
            for (int i = 0; i < plane; i++)
            {
                for (int ch = 0; ch < 3; ch++)
                {
                    // A grey model's one plane is every channel.
                    var expected = ReconstructionPng.ToByte(reconstructions[n][(c.Config.Channels == 1 ? 0 : ch) * plane + i]);
                    Assert.Equal(expected, bgra[4 * i + 2 - ch]);
                    Assert.Equal(expected, rgba[4 * i + ch]);
                }
                Assert.Equal(255, bgra[4 * i + 3]);
            }
        }
    }
}
