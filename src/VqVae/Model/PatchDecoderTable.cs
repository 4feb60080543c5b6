using static TorchSharp.torch;

namespace VqVae.Model;

/// <summary>
/// The patch decoder evaluated on the K codes instead of on every position. Its output for a position
/// (ConvTranspose2d with kernel = stride = p, ReLU, Linear per pixel) depends on that position's code
/// alone, so every output it can produce is one of K patches: a table of K × p·p·C logits. Gathering a
/// position's patch from the table gives the very numbers the direct decoder computes (up to the order
/// of float additions): it is the same function, evaluated once per code.
/// </summary>
/// <remarks>
/// The gradient is exact too. The table is built from a detached copy of the code latents with autograd
/// to the decoder's weights, so the weights get every position's gradient summed per code, as they do
/// directly. The decoder's input gets, per position, J_kᵀ·g, with J_k = W_lin · diag(ReLU mask of code k)
/// · W_deconv the P × D Jacobian of code k's logits: applied grouped by code (a per-position gather of
/// Jacobians would take N·h·w·P·D floats). That gradient is sent into the decoder-input tensor the
/// quantizer built, so each gradient estimator (straight-through, to the codebook, the rotation trick,
/// FSQ's projections) carries it on as it carries the direct decoder's.
/// </remarks>
public static class PatchDecoderTable
{
    /// <summary>
    /// Logits [N, C, H, W] of the decoder input [N, h, w, D] whose rows are the codes' latents: the same
    /// values and gradients as <c>decoder.forward</c>, from a table of the K code latents [K, D].
    /// </summary>
    public static Tensor Decode(PatchDecoder decoder, Tensor decoderInput, Tensor codes, Tensor codeLatents)
    {
        long n = decoderInput.shape[0], h = decoderInput.shape[1], w = decoderInput.shape[2], d = decoderInput.shape[3];
        var table = Logits(decoder, codeLatents.detach());           // [K, p, p, C]
        long k = table.shape[0], p = table.shape[1], c = table.shape[3];
        var flatCodes = codes.reshape(-1);
        var perPosition = table.reshape(k, p * p * c).index_select(0, flatCodes);
        if (decoderInput.requires_grad)
            perPosition = perPosition + JacobianProducts(Jacobians(decoder, codeLatents.detach()), flatCodes,
                decoderInput.reshape(-1, d) - decoderInput.detach().reshape(-1, d));
        return perPosition.view(n, h, w, p, p, c).permute(0, 5, 1, 3, 2, 4).reshape(n, c, h * p, w * p);
    }

    /// <summary>Each code latent's logits, with autograd to the decoder's weights: [K, D] → [K, p, p, C].</summary>
    public static Tensor Logits(PatchDecoder decoder, Tensor codeLatents) =>
        decoder.linear.forward(HiddenPreActivations(decoder, codeLatents).relu());

    /// <summary>The transposed convolution's output for each code, before the ReLU: [K, p, p, D].</summary>
    static Tensor HiddenPreActivations(PatchDecoder decoder, Tensor codeLatents)
    {
        var weight = decoder.cnn.weight!;                              // [D_in, D_out, p, p]
        long dIn = weight.shape[0], dOut = weight.shape[1], p = weight.shape[2];
        return codeLatents.matmul(weight.reshape(dIn, dOut * p * p))
            .view(-1, dOut, p, p).permute(0, 2, 3, 1).add(decoder.cnn.bias!);
    }

    /// <summary>
    /// J_k = ∂ logits_k / ∂ latent_k for each code, detached: [K, P, D] with P = p·p·C in the table's
    /// (row, column, channel) order. J_k[s, c, :] = Σ_j W_lin[c, j] · 1[a_k,s,j &gt; 0] · W_deconv[:, j, s].
    /// </summary>
    public static Tensor Jacobians(PatchDecoder decoder, Tensor codeLatents)
    {
        using var _ = no_grad();
        var weight = decoder.cnn.weight!;                              // [D_in, D_out, p, p]
        long dIn = weight.shape[0], dOut = weight.shape[1], p = weight.shape[2];
        var linear = decoder.linear.weight!;                           // [C, D_out]
        long c = linear.shape[0];
        // ReLU's gradient is 1 where its input is positive, 0 elsewhere (zero included), as libtorch's.
        var mask = HiddenPreActivations(decoder, codeLatents).gt(0).to(linear.dtype);   // [K, p, p, D_out]
        long k = mask.shape[0];
        var maskedLinear = (mask.reshape(k, p * p, 1, dOut) * linear)                    // [K, p·p, C, D_out]
            .permute(1, 0, 2, 3).reshape(p * p, k * c, dOut);
        var deconvPerPixel = weight.permute(2, 3, 1, 0).reshape(p * p, dOut, dIn);       // [p·p, D_out, D_in]
        return maskedLinear.bmm(deconvPerPixel).view(p * p, k, c, dIn).permute(1, 0, 2, 3).reshape(k, p * p * c, dIn);
    }

    /// <summary>
    /// J_{code(m)} · v_m for every position m: v [M, D] → [M, P], grouped by code (positions sorted by
    /// code, one product per code in use). Used on v = u − sg(u), whose value is zero: the product adds
    /// nothing to the logits, and its gradient with respect to u is J_kᵀ·g per position.
    /// </summary>
    static Tensor JacobianProducts(Tensor jacobians, Tensor codes, Tensor v)
    {
        long k = jacobians.shape[0], outputs = jacobians.shape[1];
        var order = codes.argsort();
        var counts = codes.bincount(null, k).cpu().data<long>().ToArray();
        var grouped = v.index_select(0, order).split(counts);
        var products = new List<Tensor>();
        for (int code = 0; code < k; code++)
            if (counts[code] > 0) products.Add(grouped[code].mm(jacobians[code].t()));
        var sortedProducts = products.Count > 0 ? cat(products, 0) : zeros(0, outputs, device: v.device);
        return sortedProducts.index_select(0, order.argsort());
    }
}
