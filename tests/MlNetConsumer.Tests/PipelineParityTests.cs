using Microsoft.ML;
using VqVae.TestSupport;

namespace VqVaeMl.MlNet.Tests;

/// <summary>Image files on disk through the ML.NET pipeline, against the TorchSharp model on the same pixels.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class PipelineParityTests(TrainedModels models)
{
    public static TheoryData<string> Cases => new() { "gray", "rgb" };
    TrainedModel Case(string name) => name == "gray" ? models.Gray : models.Rgb;

    [Theory, MemberData(nameof(Cases))]
    public void Ml_net_gives_torchs_codes_and_reconstructions_on_the_pixels_it_extracted(string name)
    {
        var c = Case(name);
        var model = VqVaeModelFolder.Open(c.TrainingDir);
        var engine = VqVaeScoringModel.ForImages(new MLContext(seed: 0), model).CreateImageEngine<VqVaePrediction>();
        double maxReconstructionDiff = 0;
        var codesSeen = new HashSet<long>();
        foreach (var relative in c.Images)
        {
            var p = engine.Predict(new VqVaeImageInput { ImagePath = Path.Combine(c.ImagesFolder, relative) });
            Assert.Equal(model.PixelCount, p.Pixels.Length);
            var torch = TorchReference.Run(c.Model, p.Pixels);
            for (int i = 0; i < p.Codes.Length; i++)
            {
                if (p.Codes[i] == torch.Codes[i]) continue;
                // A different index is only acceptable as an exact distance tie.
                float a = torch.Distances[i, p.Codes[i]], b = torch.Distances[i, torch.Codes[i]];
                Assert.True(Math.Abs(a - b) <= 1e-5 * Math.Max(1, b), $"{relative} position {i}: code {p.Codes[i]} (d={a}) vs torch {torch.Codes[i]} (d={b})");
            }
            var reference = p.Codes.SequenceEqual(torch.Codes) ? torch.Reconstruction : TorchReference.Decode(c.Model, p.Codes);
            maxReconstructionDiff = Math.Max(maxReconstructionDiff, MaxAbsDiff(p.Reconstruction, reference));
            codesSeen.UnionWith(p.Codes);
        }
        Assert.True(maxReconstructionDiff <= 1e-5, $"max reconstruction difference {maxReconstructionDiff}");
        Assert.True(codesSeen.Count > 1, "a trained model should use more than one code on varied shapes");
    }

    [Theory, MemberData(nameof(Cases))]
    public void Extracted_pixels_are_the_files_decoded_pixels_in_0_to_1(string name)
    {
        var c = Case(name);
        var engine = VqVaeScoringModel.ForImages(new MLContext(seed: 0), VqVaeModelFolder.Open(c.OnnxDir)).CreateImageEngine<VqVaePrediction>();
        foreach (var relative in c.Images)
        {
            var path = Path.Combine(c.ImagesFolder, relative);
            var p = engine.Predict(new VqVaeImageInput { ImagePath = path });
            Assert.True(MaxAbsDiff(p.Pixels, ShapeImages.ReadPlanar(path, c.Config.Channels)) <= 1e-6, relative);
        }
    }

    internal static double MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
