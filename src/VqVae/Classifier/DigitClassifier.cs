using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Classifier;

/// <summary>
/// A small CNN that tells MNIST digits apart, used to judge class-conditional samples: two 5×5
/// convolutions with ReLU and 2×2 max pooling, then two linear layers to 10 logits. Input 1×28×28 in 0..1.
/// </summary>
public sealed class DigitClassifier : Module<Tensor, Tensor>
{
    public const int Classes = 10;
    public const int Size = 28;

    public readonly Conv2d conv1 = Conv2d(1, 16, kernel_size: 5, padding: 2);
    public readonly Conv2d conv2 = Conv2d(16, 32, kernel_size: 5, padding: 2);
    public readonly Linear hidden = Linear(32 * 7 * 7, FeatureSize);
    public readonly Linear output = Linear(128, Classes);

    public DigitClassifier() : base("DigitClassifier") => RegisterComponents();

    /// <summary>The width of <see cref="Features"/>.</summary>
    public const int FeatureSize = 128;

    public override Tensor forward(Tensor x) => output.forward(Features(x));

    /// <summary>The penultimate layer after its ReLU [N, 128]: what the Fréchet distance compares.</summary>
    public Tensor Features(Tensor x)
    {
        x = functional.max_pool2d(functional.relu(conv1.forward(x)), 2);
        x = functional.max_pool2d(functional.relu(conv2.forward(x)), 2);
        return functional.relu(hidden.forward(x.flatten(1)));
    }
}
