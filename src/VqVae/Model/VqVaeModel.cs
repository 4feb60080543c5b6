using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Model;

/// <summary>What one forward pass yields: the reconstruction and everything the losses need.</summary>
public sealed record VqVaeOutput(Tensor Reconstruction, Tensor ZE, Tensor ZQ, Tensor Codes);

/// <summary>
/// Encoder → nearest code → decoder, as in the seed's VQVAE. The encoder yields NHWC latents
/// [N, h, w, D]; the decoder takes NCHW latents and yields logits; the sigmoid is applied here.
/// </summary>
public sealed class VqVaeModel : Module<Tensor, VqVaeOutput>
{
    public readonly Module<Tensor, Tensor> encoder;
    public readonly Codebook codebook;
    public readonly Module<Tensor, Tensor> decoder;

    public ModelConfig Config { get; }

    public VqVaeModel(ModelConfig config) : base("VQVAE")
    {
        config.Validate();
        Config = config;
        (encoder, decoder) = config.Arch switch
        {
            "patch" => ((Module<Tensor, Tensor>)new PatchEncoder(config.Channels, config.HiddenSize, config.PatchSize),
                        (Module<Tensor, Tensor>)new PatchDecoder(config.HiddenSize, config.Channels, config.PatchSize)),
            "conv" => (new ConvEncoder(config), new ConvDecoder(config)),
            _ => throw new ArgumentException($"unknown arch '{config.Arch}'"),
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
        var decoderInput = Config.Ste == "seed"
            ? zq + (ze - ze.detach())          // the seed post's variant: the codebook also learns through the decoder
            : ze + (zq - ze).detach();         // the paper's: the codebook learns only from the VQ loss
        return new VqVaeOutput(Decode(decoderInput), ze, zq, codes);
    }
}
