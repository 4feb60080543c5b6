using VqVae.Model;
using VqVae.Model.Quantizers;
using static TorchSharp.torch;

namespace VqVae.Tests.Model.Quantizers;

public class QuantizerTests
{
    [Fact]
    public void Nearest_code_agrees_with_a_brute_force_search()
    {
        manual_seed(3);
        var codebook = new VectorQuantizer(37, 12);
        using (no_grad()) codebook.weight.normal_();
        var z = randn(500, 12);
        var fast = codebook.Nearest(z).data<long>().ToArray();

        var e = codebook.weight.detach().data<float>().ToArray();
        var zs = z.data<float>().ToArray();
        for (int i = 0; i < 500; i++)
        {
            int best = -1;
            double bestDistance = double.MaxValue;
            for (int k = 0; k < 37; k++)
            {
                double distance = 0;
                for (int j = 0; j < 12; j++) { double diff = zs[i * 12 + j] - e[k * 12 + j]; distance += diff * diff; }
                if (distance < bestDistance) { bestDistance = distance; best = k; }
            }
            Assert.Equal(best, (int)fast[i]);
        }
    }

    [Fact]
    public void Quantized_vectors_are_the_chosen_codebook_rows()
    {
        manual_seed(4);
        var model = new VqVaeModel(new ModelConfig { HiddenSize = 8, CodebookSize = 5 });
        var ze = randn(2, 7, 7, 8);
        var (codes, zq) = model.Quantize(ze);
        var expected = model.codebook.weight.index_select(0, codes.flatten()).reshape(2, 7, 7, 8);
        Assert.True(zq.equal(expected).all().item<bool>());
    }
}
