using TorchSharp;
using VqVae.Data;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Classifier;

/// <summary>Trains the digit classifier on the real training digits and measures it; classifies images with it.</summary>
public static class ClassifierTraining
{
    public const string WeightsFile = "classifier.bin";

    /// <summary>Adam, batches of 128; returns the accuracy on the validation digits after each epoch.</summary>
    public static List<double> Train(DigitClassifier model, ImageSet train, byte[] trainLabels, ImageSet validation, byte[] validationLabels,
        int epochs, int seed, Action<int, double>? epochDone = null)
    {
        manual_seed(seed);
        using var x = TrainingData.ToTensor(train);
        using var y = tensor(trainLabels.Select(b => (long)b).ToArray());
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        var accuracies = new List<double>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            model.train();
            var order = randperm(train.Count, generator: new Generator((ulong)(seed * 1000 + epoch)));
            for (long start = 0; start < train.Count; start += 128)
            {
                using var scope = NewDisposeScope();
                var batch = order.narrow(0, start, Math.Min(128, train.Count - start));
                var loss = nn.functional.cross_entropy(model.forward(x.index_select(0, batch)), y.index_select(0, batch));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            order.Dispose();
            var predicted = Predict(model, validation);
            double accuracy = predicted.Zip(validationLabels).Count(p => p.First == p.Second) / (double)validation.Count;
            accuracies.Add(accuracy);
            epochDone?.Invoke(epoch, accuracy);
        }
        return accuracies;
    }

    /// <summary>The most likely digit of each image (1×28×28).</summary>
    public static int[] Predict(DigitClassifier model, ImageSet images)
    {
        if (images.Channels != 1 || images.Height != DigitClassifier.Size || images.Width != DigitClassifier.Size)
            throw new InvalidDataException($"the digit classifier reads 1×28×28 images, not {images.Channels}×{images.Height}×{images.Width}");
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var all = TrainingData.ToTensor(images);
        var result = new List<int>();
        for (long start = 0; start < images.Count; start += 512)
        {
            var logits = model.forward(all.narrow(0, start, Math.Min(512, images.Count - start)));
            result.AddRange(logits.argmax(1).data<long>().ToArray().Select(v => (int)v));
        }
        return result.ToArray();
    }
}
