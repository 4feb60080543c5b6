using Microsoft.ML.OnnxRuntime;

namespace VqVae.Exporter.Verification;

public sealed record VerifyOptions
{
    public IReadOnlyList<int> BatchSizes { get; init; } = new[] { 1, 3, 64 };
    /// <summary>Real images, flattened [M, C, H, W] in 0..1; checked in addition to random inputs. Null: random only.</summary>
    public float[]? Images { get; init; }
    public GraphOptimizationLevel Optimization { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;
    /// <summary>Largest absolute difference allowed on z_e, z_q and reconstructions.</summary>
    public double Tolerance { get; init; } = 1e-5;
    public double TieTolerance { get; init; } = CodeTies.DefaultTolerance;
    public int Seed { get; init; } = 1234;
}

/// <summary>Measured differences between ONNX Runtime and TorchSharp over all checked batches.</summary>
public sealed record VerificationReport
{
    /// <summary>max |z_e(ORT) − z_e(Torch)|.</summary>
    public double EncoderMaxDiff { get; init; }
    /// <summary>max |z_q(ORT) − z_q(Torch)| where the codes agree, the quantizer fed Torch's z_e.</summary>
    public double QuantizerMaxDiff { get; init; }
    /// <summary>max |decoder(ORT) − DecodeCodes(Torch)| on the same codes (from images and random).</summary>
    public double DecoderMaxDiff { get; init; }
    /// <summary>max |decoder(quantizer(encoder(x))) in ORT − VqVaeModel.forward(x)|.</summary>
    public double ChainMaxDiff { get; init; }
    /// <summary>Code positions compared (quantizer alone and the chain).</summary>
    public long CodesCompared { get; init; }
    /// <summary>Positions where the codes differ but both codes are equally near (checked in double precision).</summary>
    public int CodeTies { get; init; }
    /// <summary>Positions where the codes differ and are not a tie: a real disagreement.</summary>
    public int CodeMismatches { get; init; }
    public double Tolerance { get; init; }
    public IReadOnlyList<int> BatchSizes { get; init; } = Array.Empty<int>();
    public bool UsedImages { get; init; }
    public GraphOptimizationLevel Optimization { get; init; }

    public bool Passed =>
        EncoderMaxDiff <= Tolerance && QuantizerMaxDiff <= Tolerance && DecoderMaxDiff <= Tolerance
        && ChainMaxDiff <= Tolerance && CodeMismatches == 0;
}
