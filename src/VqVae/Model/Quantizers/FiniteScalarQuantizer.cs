using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VqVae.Model.Quantizers;

/// <summary>
/// Finite scalar quantization (Mentzer et al. 2023): z_e [.., D] is projected to d channels (d = the
/// number of levels), each bounded by a tanh to its level count and rounded with a straight-through
/// gradient, normalised to [−1, 1] and projected back to D. The codebook is implicit — the grid of
/// every combination of levels, ∏ levels codes — and one integer per position names a grid point in
/// mixed radix (the first channel the fastest-changing digit). No codebook loss, no EMA, nothing to collapse.
/// </summary>
public sealed class FiniteScalarQuantizer : Quantizer
{
    public readonly Linear project_in;
    public readonly Linear project_out;
    readonly FsqLevels levels;
    // Per channel: the bound's half range and offset, the grid's half width, and each digit's place value.
    readonly float[] halfRange, offset, shift, halfWidth;
    readonly long[] levelCounts, basis;

    /// <summary>Keeps a bounded value from rounding past the outer levels (vector-quantize-pytorch's eps).</summary>
    const double BoundMargin = 1e-3;

    public FiniteScalarQuantizer(FsqLevels levels, int hiddenSize) : base("fsq")
    {
        this.levels = levels;
        int d = levels.Count;
        project_in = Linear(hiddenSize, d);
        project_out = Linear(d, hiddenSize);
        levelCounts = levels.Select(l => (long)l).ToArray();
        halfRange = levels.Select(l => (float)((l - 1) * (1 + BoundMargin) / 2)).ToArray();
        // Even level counts have no middle level: the grid is shifted by half a step (e.g. −4..3 for 8).
        offset = levels.Select(l => l % 2 == 0 ? 0.5f : 0f).ToArray();
        shift = levels.Select((l, i) => (float)Math.Atanh(offset[i] / halfRange[i])).ToArray();
        halfWidth = levels.Select(l => (float)(l / 2)).ToArray();
        basis = new long[d];
        for (int i = 0, place = 1; i < d; place *= levels[i], i++) basis[i] = place;
        RegisterComponents();
    }

    public FsqLevels Levels => levels;
    /// <summary>Each channel's place value in the mixed-radix code: 1, L1, L1·L2, …</summary>
    public IReadOnlyList<long> Basis => basis;
    public override int CodebookSize => (int)levels.CodeCount;

    /// <summary>Per-channel constants of the bound, on z's device: [d].</summary>
    public (Tensor HalfRange, Tensor Offset, Tensor Shift, Tensor HalfWidth) BoundConstants(Device device) =>
        (tensor(halfRange, device: device), tensor(offset, device: device), tensor(shift, device: device), tensor(halfWidth, device: device));

    /// <summary>Each channel squashed into (−L/2 − margin, L/2 + margin) around its levels, so rounding yields one of L integers.</summary>
    public Tensor Bound(Tensor z)
    {
        var (half, off, sh, _) = BoundConstants(z.device);
        return (z + sh).tanh() * half - off;
    }

    /// <summary>Bounded, rounded (straight-through) and normalised to [−1, 1]: the grid point in d channels.</summary>
    Tensor GridPoint(Tensor z)
    {
        var bounded = Bound(z);
        var rounded = bounded + (bounded.round() - bounded).detach();
        return rounded / BoundConstants(z.device).HalfWidth;
    }

    /// <summary>Grid points [.., d] (normalised) → mixed-radix codes [..].</summary>
    public Tensor CodesOfGrid(Tensor grid)
    {
        using var _ = no_grad();
        var halfWidths = BoundConstants(grid.device).HalfWidth;
        var digits = (grid * halfWidths + halfWidths).round().to(ScalarType.Int64);
        return (digits * tensor(basis, device: grid.device)).sum(-1);
    }

    /// <summary>Codes [..] → grid points [.., d] (normalised).</summary>
    public Tensor GridOfCodes(Tensor codes)
    {
        var digits = codes.unsqueeze(-1).div(tensor(basis, device: codes.device), rounding_mode: RoundingMode.floor)
            .remainder(tensor(levelCounts, device: codes.device));
        var halfWidths = BoundConstants(codes.device).HalfWidth;
        return (digits.to(ScalarType.Float32) - halfWidths) / halfWidths;
    }

    public override QuantizerOutput forward(Tensor ze)
    {
        var grid = GridPoint(project_in.forward(ze));
        var zq = project_out.forward(grid);
        var zero = zeros(Array.Empty<long>(), device: ze.device);
        // The rounding's straight-through gradient already reaches the encoder: z_q is the decoder's input.
        return new QuantizerOutput(zq, zq, CodesOfGrid(grid), new QuantizerLoss(zero, zero, Array.Empty<Tensor>()), new[] { ze });
    }

    public override Tensor Codes(Tensor ze)
    {
        using var _ = no_grad();
        return CodesOfGrid(GridPoint(project_in.forward(ze)));
    }

    public override Tensor Lookup(Tensor codes) => project_out.forward(GridOfCodes(codes));

    public override Tensor PictureLatents(int max)
    {
        // Spread over the whole grid when it holds more codes than the picture shows.
        long count = Math.Min(max, CodebookSize);
        var codes = linspace(0, CodebookSize - 1, count, device: project_out.weight!.device).round().to(ScalarType.Int64);
        return Lookup(codes).detach();
    }
}
