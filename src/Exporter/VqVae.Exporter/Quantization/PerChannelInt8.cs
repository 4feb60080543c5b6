namespace VqVae.Exporter.Quantization;

/// <summary>
/// A weight matrix B [K, N] (the right operand of x·B) as symmetric int8 with one scale per output
/// column: B[k, n] ≈ Values[k, n] · Scales[n], Values in −127..127, zero point 0. One scale per output
/// keeps a column of small weights from being rounded away by another column's large ones, and a
/// symmetric range needs no weight zero point, so the integer product needs no correction term.
/// </summary>
public sealed record PerChannelInt8(sbyte[] Values, float[] Scales, int Rows, int Columns)
{
    public const int Limit = 127;

    /// <summary>Quantizes a row-major [rows, columns] matrix column by column (round to nearest, ties away from zero).</summary>
    public static PerChannelInt8 Quantize(ReadOnlySpan<float> matrix, int rows, int columns)
    {
        if (matrix.Length != rows * columns)
            throw new ArgumentException($"{matrix.Length} values do not fill a {rows}×{columns} matrix");
        var scales = new float[columns];
        for (int k = 0; k < rows; k++)
            for (int n = 0; n < columns; n++)
            {
                float v = matrix[k * columns + n];
                if (!float.IsFinite(v)) throw new ArgumentException($"weight [{k}, {n}] is {v}: not quantizable");
                scales[n] = Math.Max(scales[n], Math.Abs(v));
            }
        // An all-zero column gets scale 1: its values are 0 either way, and a 0 scale would divide by zero.
        for (int n = 0; n < columns; n++) scales[n] = scales[n] > 0 ? scales[n] / Limit : 1f;

        var values = new sbyte[rows * columns];
        for (int k = 0; k < rows; k++)
            for (int n = 0; n < columns; n++)
            {
                double q = Math.Round(matrix[k * columns + n] / (double)scales[n], MidpointRounding.AwayFromZero);
                values[k * columns + n] = (sbyte)Math.Clamp(q, -Limit, Limit);
            }
        return new PerChannelInt8(values, scales, rows, columns);
    }

    /// <summary>The float matrix these integers stand for: Values[k, n] · Scales[n].</summary>
    public float[] Dequantize()
    {
        var result = new float[Values.Length];
        for (int k = 0; k < Rows; k++)
            for (int n = 0; n < Columns; n++)
                result[k * Columns + n] = Values[k * Columns + n] * Scales[n];
        return result;
    }
}
