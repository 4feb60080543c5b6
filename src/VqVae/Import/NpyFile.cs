using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace VqVae.Import;

/// <summary>
/// A NumPy .npy file (format versions 1 to 3) of little-endian float32 or int64 in C order, as <c>np.save</c>
/// writes a torch tensor's <c>.numpy()</c>. Anything else (another dtype, Fortran order, a pickled object, a
/// file cut short or with bytes left over) is refused in one line naming the file.
/// </summary>
public sealed partial class NpyFile
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public string Path { get; }
    public long[] Shape { get; }
    /// <summary>The values when the dtype is float32 ('&lt;f4'), else null.</summary>
    public float[]? Floats { get; }
    /// <summary>The values when the dtype is int64 ('&lt;i8'), else null.</summary>
    public long[]? Longs { get; }

    NpyFile(string path, long[] shape, float[]? floats, long[]? longs)
    {
        Path = path;
        Shape = shape;
        Floats = floats;
        Longs = longs;
    }

    [GeneratedRegex(@"^\{\s*'descr'\s*:\s*'(?<descr>[^']*)'\s*,\s*'fortran_order'\s*:\s*(?<fortran>True|False)\s*,\s*'shape'\s*:\s*\((?<shape>[0-9,\s]*)\)\s*,?\s*\}\s*$")]
    private static partial Regex Header();

    public static NpyFile Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no such .npy file");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic)) throw new InvalidDataException($"{path}: not a .npy file (no \\x93NUMPY magic)");
        int major = bytes[6];
        if (major is < 1 or > 3) throw new InvalidDataException($"{path}: .npy format version {major}.{bytes[7]} is not one of 1.0, 2.0, 3.0");
        int lengthBytes = major == 1 ? 2 : 4;
        if (bytes.Length < 8 + lengthBytes) throw new InvalidDataException($"{path}: cut off inside its header");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        long dataStart = 8 + lengthBytes + headerLength;
        if (dataStart > bytes.Length) throw new InvalidDataException($"{path}: cut off inside its header");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, 8 + lengthBytes, (int)headerLength);
        var match = Header().Match(header.TrimEnd('\n', ' '));
        if (!match.Success) throw new InvalidDataException($"{path}: header {header.Trim()} is not a plain array's");
        if (match.Groups["fortran"].Value == "True") throw new InvalidDataException($"{path}: Fortran order; save a C-ordered array (np.ascontiguousarray)");
        var shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        var descr = match.Groups["descr"].Value;
        int size = descr switch
        {
            "<f4" => 4,
            "<i8" => 8,
            _ => throw new InvalidDataException($"{path}: dtype '{descr}' is not float32 ('<f4') or int64 ('<i8'); save it with .astype(np.float32)"),
        };
        long dataLength = bytes.Length - dataStart;
        if (dataLength != count * size)
            throw new InvalidDataException($"{path}: {dataLength} bytes of data for shape ({string.Join(", ", shape)}) of '{descr}', which takes {count * size}");
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException(".npy reading needs a little-endian machine");
        var data = bytes.AsSpan((int)dataStart);
        return descr == "<f4"
            ? new NpyFile(path, shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray(), null)
            : new NpyFile(path, shape, null, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(data).ToArray());
    }
}
