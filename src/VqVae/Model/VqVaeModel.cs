using TorchSharp;
using VqVae.Checkpoints;
using VqVae.Model.Quantizers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Model;

/// <summary>What one forward pass yields: the reconstruction and everything the losses and updates need.</summary>
public sealed record VqVaeOutput(Tensor Reconstruction, Tensor ZE, QuantizerOutput Quantized)
{
    public Tensor ZQ => Quantized.ZQ;
    /// <summary>[N, h, w], or [N, h, w, L] for residual VQ.</summary>
    public Tensor Codes => Quantized.Codes;
}

/// <summary>The training loss of one batch: reconstruction MSE plus the quantizer's own terms.</summary>
public sealed record VqVaeLoss(Tensor Total, Tensor Reconstruction, Tensor Vq, Tensor Commitment);

/// <summary>
/// Encoder → quantizer → decoder, as in the reference post's VQVAE. The encoder yields NHWC latents
/// [N, h, w, D]; the decoder takes NCHW latents and yields logits; the sigmoid is applied here.
/// </summary>
public sealed class VqVaeModel : Module<Tensor, VqVaeOutput>
{
    public readonly Module<Tensor, Tensor> encoder;
    public readonly Module<Tensor, Tensor> decoder;
    /// <summary>
    /// Registered under the quantizer's own name (codebook for VQ, as the reference post's weights are
    /// named, codebooks for residual VQ, fsq), so checkpoints written before there was a choice still load.
    /// </summary>
    public readonly Quantizer quantizer;

    public ModelConfig Config { get; }

    /// <summary>
    /// How forward evaluates the decoder: directly at every position, or (patch model, one code per
    /// position) as a table of the K codes gathered per position: the same values and gradients.
    /// </summary>
    public DecoderPath DecoderPath
    {
        get => decoderPath;
        set
        {
            if (value == DecoderPath.Table && DecoderPathChoice.WhyNoTable(Config) is { } reason) throw new ArgumentException($"decoder path table: {reason}");
            decoderPath = value == DecoderPath.Table ? value : DecoderPath.Direct;
        }
    }
    DecoderPath decoderPath = DecoderPath.Direct;

    public VqVaeModel(ModelConfig config, GradientEstimator estimator = GradientEstimator.StraightThrough)
        : this(config, new CodebookTraining { Estimator = estimator }) { }

    public VqVaeModel(ModelConfig config, CodebookTraining training) : base("VQVAE")
    {
        config.Validate();
        Config = config;
        (encoder, decoder) = config.Arch switch
        {
            Arch.Patch => ((Module<Tensor, Tensor>)new PatchEncoder(config.Channels, config.HiddenSize, config.PatchSize),
                           (Module<Tensor, Tensor>)new PatchDecoder(config.HiddenSize, config.Channels, config.PatchSize)),
            Arch.Conv => (new ConvEncoder(config), new ConvDecoder(config)),
            Arch.Imported => throw new InvalidDataException("an imported model (arch imported) is its graphs only: it has no TorchSharp layers to load, train or export"),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Arch, "unknown architecture"),
        };
        // Built after encoder and decoder: the random initialisation draws in the order it always has.
        var built = Quantizer.Create(config, training);
        register_module("encoder", encoder);
        register_module(built.GetName(), built);
        register_module("decoder", decoder);
        quantizer = built;
    }

    /// <summary>The single codebook of a VQ model (tests and pictures reach its weights through it).</summary>
    public VectorQuantizer codebook => quantizer as VectorQuantizer
        ?? throw new InvalidOperationException($"a {KebabCase.Name(Config.Quantizer)} model has no single codebook");

    /// <summary>x [N, C, H, W] in 0..1 → z_e [N, h, w, D].</summary>
    public Tensor Encode(Tensor x) => encoder.forward(x);

    /// <summary>z_e [N, h, w, D] → (codes [N, h, w] or [N, h, w, L], z_q [N, h, w, D]).</summary>
    public (Tensor Codes, Tensor ZQ) Quantize(Tensor ze)
    {
        var codes = quantizer.Codes(ze);
        return (codes, quantizer.Lookup(codes));
    }

    /// <summary>Latent [N, h, w, D] → reconstruction [N, C, H, W] in 0..1.</summary>
    public Tensor Decode(Tensor latent) => functional.sigmoid(decoder.forward(latent.permute(0, 3, 1, 2)));

    /// <summary>Codes [N, h, w] (or [N, h, w, L]) → reconstruction [N, C, H, W].</summary>
    public Tensor DecodeCodes(Tensor codes) => Decode(quantizer.Lookup(codes));

    public override VqVaeOutput forward(Tensor x)
    {
        var ze = Encode(x);
        var quantized = quantizer.forward(ze);
        var reconstruction = DecoderPath == DecoderPath.Table ? DecodeByTable(quantized) : Decode(quantized.DecoderInput);
        return new VqVaeOutput(reconstruction, ze, quantized);
    }

    /// <summary>The decoder input's reconstruction from the table of every code's decoder output (see <see cref="PatchDecoderTable"/>).</summary>
    Tensor DecodeByTable(QuantizerOutput quantized) =>
        functional.sigmoid(PatchDecoderTable.Decode((PatchDecoder)decoder, quantized.DecoderInput, quantized.Codes, CodeLatents()));

    /// <summary>Every code's latent [K, D], detached: the rows a decoder input of this quantizer is made of.</summary>
    public Tensor CodeLatents()
    {
        using var _ = no_grad();
        var device = parameters().First().device;
        return quantizer.Lookup(arange(quantizer.CodebookSize, dtype: ScalarType.Int64, device: device));
    }

    /// <summary>Reconstruction MSE plus the quantizer's terms (recon + vq + β·commitment for VQ).</summary>
    public static VqVaeLoss Loss(VqVaeOutput output, Tensor x)
    {
        var recon = functional.mse_loss(output.Reconstruction, x);
        var q = output.Quantized.Loss;
        return new VqVaeLoss(q.AddTo(recon), recon, q.Vq, q.Commitment);
    }

    /// <summary>The quantizer's updates after an optimizer step (EMA, dead-code restarts); returns the codes re-seeded.</summary>
    public int AfterStep(VqVaeOutput output, Generator generator) => quantizer.AfterStep(output.Quantized, generator);
}
