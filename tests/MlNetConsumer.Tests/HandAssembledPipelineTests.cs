using Microsoft.ML;
using Microsoft.ML.Transforms.Image;
using VqVae.TestSupport;
using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>The chain of docs/PACKAGES.md, assembled step by step from plain ML.NET estimators, equals VqVaePipeline.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class HandAssembledPipelineTests(TrainedModels models)
{
    [Fact]
    public void The_chain_assembled_by_hand_gives_the_one_call_pipelines_outputs()
    {
        var c = models.Gray;
        var model = VqVaeModelFolder.Open(c.TrainingDir);
        var ml = new MLContext(seed: 0);
        var t = ml.Transforms;
        var pipeline = t.LoadImages(VqVaeColumns.LoadedImage, imageFolder: c.ImagesFolder, VqVaeColumns.ImagePath)
            .Append(t.ResizeImages(VqVaeColumns.ResizedImage, model.Config.Width, model.Config.Height, VqVaeColumns.LoadedImage))
            .Append(t.ConvertToGrayscale(VqVaeColumns.GrayImage, VqVaeColumns.ResizedImage))
            .Append(t.ExtractPixels(OnnxContract.Image, VqVaeColumns.GrayImage,
                ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255f))
            .Append(t.VqVaeEncode(model))
            .Append(t.VqVaeQuantize(model))
            .Append(t.VqVaeDecode(model))
            .Append(t.VqVaeReconstructionToImage(model));
        var transformer = pipeline.Fit(ml.Data.LoadFromEnumerable(Array.Empty<VqVaeImageInput>()));
        var byHand = ml.Model.CreatePredictionEngine<VqVaeImageInput, VqVaePrediction>(transformer);

        var oneCall = VqVaeScoringModel.ForImages(new MLContext(seed: 0), model).CreateImageEngine<VqVaePrediction>();
        foreach (var relative in c.Images)
        {
            // The hand-built chain resolves relative paths against its image folder; the other gets full paths.
            var a = byHand.Predict(new VqVaeImageInput { ImagePath = relative });
            var b = oneCall.Predict(new VqVaeImageInput { ImagePath = Path.Combine(c.ImagesFolder, relative) });
            Assert.Equal(b.Pixels, a.Pixels);
            Assert.Equal(b.Codes, a.Codes);
            Assert.Equal(b.Reconstruction, a.Reconstruction);
        }
    }
}
