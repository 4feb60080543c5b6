namespace VqVaeMl.Common.Imaging;

/// <summary>
/// Structural similarity (Wang et al. 2004) as scikit-image's <c>structural_similarity</c> computes it with
/// <c>gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1</c>: local means, variances and
/// covariance by an 11-tap Gaussian (σ 1.5, cut at 3.5 σ) along rows and columns, population (co)variances,
/// C1 = 0.01², C2 = 0.03², the map averaged over the pixels at least 5 from every edge, then over the channels.
/// Those pixels' windows stay inside the image, so scikit-image's mirrored edges (scipy's 'reflect') never
/// reach the mean and are not computed. One implementation for the trainer's
/// validation and vqvae-score's metrics, so the two report the same figure for the same pixels.
/// </summary>
public static class Ssim
{
    public const double Sigma = 1.5;
    public const double K1 = 0.01, K2 = 0.03;
    /// <summary>Taps on each side of the centre: scipy's int(3.5 σ + 0.5).</summary>
    public const int Radius = 5;
    /// <summary>The window's width, and the smallest image side that has an SSIM (scikit-image refuses smaller ones).</summary>
    public const int Window = 2 * Radius + 1;

    const double C1 = K1 * K1, C2 = K2 * K2;

    static readonly double[] Taps = GaussianTaps();

    /// <summary>The window's weights along one axis, summing to 1.</summary>
    public static IReadOnlyList<double> GaussianWindow => Taps;

    /// <summary>Whether images of this size have an SSIM: both sides at least <see cref="Window"/>.</summary>
    public static bool IsDefined(int height, int width) => height >= Window && width >= Window;

    /// <summary>
    /// SSIM of two planar images (C·H·W values, 0..1), averaged over the channels; 1 for identical images.
    /// Throws for images smaller than the window (<see cref="IsDefined"/>).
    /// </summary>
    public static double Mean(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int channels, int height, int width)
    {
        int plane = height * width;
        if (a.Length != channels * plane || b.Length != a.Length)
            throw new ArgumentException($"expected two images of {channels}×{height}×{width} values, got {a.Length} and {b.Length}");
        if (!IsDefined(height, width))
            throw new ArgumentException($"SSIM needs images of at least {Window}×{Window}, not {height}×{width}");
        var work = new Planes(plane);
        double sum = 0;
        for (int c = 0; c < channels; c++)
            sum += Channel(a.Slice(c * plane, plane), b.Slice(c * plane, plane), height, width, work);
        return sum / channels;
    }

    static double Channel(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int height, int width, Planes p)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i], yi = y[i];
            p.X[i] = xi; p.Y[i] = yi;
            p.Xx[i] = xi * xi; p.Yy[i] = yi * yi; p.Xy[i] = xi * yi;
        }
        foreach (var map in p.Maps) Filter(map, p.Scratch, height, width);

        double sum = 0;
        for (int r = Radius; r < height - Radius; r++)
            for (int col = Radius; col < width - Radius; col++)
            {
                int i = r * width + col;
                double ux = p.X[i], uy = p.Y[i];
                double vx = p.Xx[i] - ux * ux, vy = p.Yy[i] - uy * uy, vxy = p.Xy[i] - ux * uy;
                sum += (2 * ux * uy + C1) * (2 * vxy + C2) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
            }
        return sum / ((height - 2 * Radius) * (width - 2 * Radius));
    }

    /// <summary>
    /// The Gaussian along rows, then along columns, in place, where the mean reads it: the pixels at least
    /// <see cref="Radius"/> from every edge. Their windows lie inside the image, so no mirrored value enters
    /// the mean and the edges need no filtering (the row pass still covers every row the column pass reads).
    /// </summary>
    static void Filter(double[] map, double[] scratch, int height, int width)
    {
        var taps = Taps.AsSpan();
        for (int r = 0; r < height; r++)
            for (int col = Radius; col < width - Radius; col++)
            {
                var row = map.AsSpan(r * width + col - Radius, Window);
                double s = 0;
                for (int k = 0; k < Window; k++) s += taps[k] * row[k];
                scratch[r * width + col] = s;
            }
        for (int r = Radius; r < height - Radius; r++)
            for (int col = Radius; col < width - Radius; col++)
            {
                double s = 0;
                for (int k = 0; k < Window; k++) s += taps[k] * scratch[(r + k - Radius) * width + col];
                map[r * width + col] = s;
            }
    }

    static double[] GaussianTaps()
    {
        var taps = new double[Window];
        for (int k = -Radius; k <= Radius; k++) taps[k + Radius] = Math.Exp(-0.5 * k * k / (Sigma * Sigma));
        double total = taps.Sum();
        return taps.Select(t => t / total).ToArray();
    }

    /// <summary>The five filtered maps of one channel and a scratch plane, reused across channels.</summary>
    sealed class Planes(int size)
    {
        public readonly double[] X = new double[size], Y = new double[size], Xx = new double[size], Yy = new double[size], Xy = new double[size];
        public readonly double[] Scratch = new double[size];
        public double[][] Maps => [X, Y, Xx, Yy, Xy];
    }
}
