using VqVae.Model.Quantizers;
using static TorchSharp.torch;

namespace VqVae.Exporter.Verification;

/// <summary>
/// Tells a legitimate disagreement between the Torch and ONNX Runtime code choices (an exact tie, where
/// float sums in a different order may pick either) from a real one. Each kind's graph
/// (<see cref="Graphs.Quantizers.QuantizerGraph.Comparison"/>) picks the comparison that fits it.
/// </summary>
public abstract class CodeComparison
{
    /// <summary>Counts ties and mismatches between code maps, given the z_e [positions, D] both were computed from.</summary>
    public abstract (int Ties, int Mismatches) Compare(long[] expected, long[] actual, float[] ze);

    /// <summary>
    /// VQ and residual VQ: per position, the first level where the codes differ must be a distance tie
    /// on what that level quantized (z_e less the levels before it, which both sides chose alike); the
    /// levels after it then quantize different residuals and may differ freely.
    /// </summary>
    public sealed class NearestCode(float[][] codebooks, int depth, double tolerance) : CodeComparison
    {
        public override (int Ties, int Mismatches) Compare(long[] expected, long[] actual, float[] ze)
        {
            if (expected.Length != actual.Length) throw new ArgumentException($"code maps differ in size: {expected.Length} vs {actual.Length}");
            int levels = codebooks.Length, ties = 0, mismatches = 0;
            var residual = new float[depth];
            for (int position = 0; position < expected.Length / levels; position++)
            {
                int first = Enumerable.Range(0, levels).FirstOrDefault(l => expected[position * levels + l] != actual[position * levels + l], -1);
                if (first < 0) continue;
                ze.AsSpan(position * depth, depth).CopyTo(residual);
                for (int l = 0; l < first; l++)
                {
                    var row = codebooks[l].AsSpan((int)expected[position * levels + l] * depth, depth);
                    for (int j = 0; j < depth; j++) residual[j] -= row[j];
                }
                var (levelTies, _) = CodeTies.Compare([expected[position * levels + first]], [actual[position * levels + first]],
                    residual, codebooks[first], depth, tolerance);
                if (levelTies == 1) ties++; else mismatches++;
            }
            return (ties, mismatches);
        }
    }

    /// <summary>
    /// FSQ: a code may differ only where a projected channel lies on the rounding boundary (half-way
    /// between two levels) within the tolerance, where tanh's last bit decides the level.
    /// </summary>
    public sealed class RoundedGrid(FiniteScalarQuantizer fsq, int depth, double tolerance) : CodeComparison
    {
        public override (int Ties, int Mismatches) Compare(long[] expected, long[] actual, float[] ze)
        {
            if (expected.Length != actual.Length) throw new ArgumentException($"code maps differ in size: {expected.Length} vs {actual.Length}");
            var differing = Enumerable.Range(0, expected.Length).Where(i => expected[i] != actual[i]).ToArray();
            if (differing.Length == 0) return (0, 0);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var z = tensor(ze, [expected.Length, depth]).index_select(0, tensor(differing.Select(i => (long)i).ToArray()));
            var bounded = fsq.Bound(fsq.project_in.forward(z.to(fsq.project_in.weight!.device))).cpu();
            var fromHalf = (bounded - bounded.floor() - 0.5).abs();
            var onBoundary = (fromHalf <= tolerance * bounded.abs().clamp_min(1)).any(1).data<bool>().ToArray();
            int ties = onBoundary.Count(b => b);
            return (ties, differing.Length - ties);
        }
    }
}
