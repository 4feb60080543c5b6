namespace VqVaeMl.Common;

/// <summary>What turns the encoder's output into codes.</summary>
public enum QuantizerKind
{
    /// <summary>Vector quantization: the nearest of K learnt code vectors (van den Oord et al. 2017).</summary>
    Vq,
    /// <summary>Finite scalar quantization: each of d projected channels rounded to a few levels; the codebook is their grid (Mentzer et al. 2023).</summary>
    Fsq,
    /// <summary>Residual vector quantization: L codebooks, each quantizing what the ones before it left (SoundStream, RQ-VAE).</summary>
    Rvq,
}
