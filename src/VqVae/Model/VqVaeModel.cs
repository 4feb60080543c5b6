using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using VqVae.Checkpoints;

namespace VqVae.Model;

/// <summary>What one forward pass yields: the reconstruction and everything the losses need.</summary>
public sealed record VqVaeOutput(Tensor Reconstruction, Tensor ZE, Tensor ZQ, Tensor Codes);

/// <summary>
/// Encoder → nearest code → decoder, as in the reference post's VQVAE. The encoder yields NHWC latents
/// [N, h, w, D]; the decoder takes NCHW latents and yields logits; the sigmoid is applied here.
/// </summary>
public sealed class VqVaeModel : Module<Tensor, VqVaeOutput>
{
    public readonly Module<Tensor, Tensor> encoder;
    public readonly Codebook codebook;
    public readonly Module<Tensor, Tensor> decoder;

    public ModelConfig Config { get; }
    /// <summary>How training passes the decoder's gradient across the nearest-code step (inference never looks).</summary>
    public GradientEstimator Estimator { get; }

    public VqVaeModel(ModelConfig config, GradientEstimator estimator = GradientEstimator.StraightThrough) : base("VQVAE")
    {
        config.Validate();
        Config = config;
        Estimator = estimator;
        (encoder, decoder) = config.Arch switch
        {
            Arch.Patch => ((Module<Tensor, Tensor>)new PatchEncoder(config.Channels, config.HiddenSize, config.PatchSize),
                           (Module<Tensor, Tensor>)new PatchDecoder(config.HiddenSize, config.Channels, config.PatchSize)),
            Arch.Conv => (new ConvEncoder(config), new ConvDecoder(config)),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Arch, "unknown architecture"),
        };
        codebook = new Codebook(config.CodebookSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>x [N, C, H, W] in 0..1 → z_e [N, h, w, D].</summary>
    public Tensor Encode(Tensor x) => encoder.forward(x);

    /// <summary>z_e [N, h, w, D] → (codes [N, h, w], z_q [N, h, w, D]).</summary>
    public (Tensor Codes, Tensor ZQ) Quantize(Tensor ze)
    {
        var flat = ze.reshape(-1, Config.HiddenSize);
        var codes = codebook.Nearest(flat).reshape(ze.shape[0], ze.shape[1], ze.shape[2]);
        return (codes, codebook.Lookup(codes));
    }

    /// <summary>Latent [N, h, w, D] → reconstruction [N, C, H, W] in 0..1.</summary>
    public Tensor Decode(Tensor latent) => functional.sigmoid(decoder.forward(latent.permute(0, 3, 1, 2)));

    /// <summary>Code indices [N, h, w] → reconstruction [N, C, H, W].</summary>
    public Tensor DecodeCodes(Tensor codes) => Decode(codebook.Lookup(codes));

    public override VqVaeOutput forward(Tensor x)
    {
        var ze = Encode(x);
        var (codes, zq) = Quantize(ze);
        // Straight-through estimator: the decoder sees z_q's values, the encoder gets the decoder's gradient.
        var decoderInput = Estimator == GradientEstimator.StraightThroughToCodebook
            ? zq + (ze - ze.detach())          // the codebook also learns through the decoder
            : ze + (zq - ze).detach();         // the paper's: the codebook learns only from the VQ loss
        return new VqVaeOutput(Decode(decoderInput), ze, zq, codes);
    }
}
