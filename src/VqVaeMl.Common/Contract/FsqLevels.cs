using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VqVaeMl.Common;

/// <summary>
/// The levels of a finite scalar quantizer, one per projected channel (e.g. 8,5,5,5). Compared by value,
/// so a configuration read back from config.json or a graph's metadata equals the one written.
/// </summary>
[JsonConverter(typeof(FsqLevelsJsonConverter))]
public sealed class FsqLevels : IReadOnlyList<int>, IEquatable<FsqLevels>
{
    readonly int[] values;

    public FsqLevels(IEnumerable<int> values) => this.values = values.ToArray();

    public int this[int index] => values[index];
    public int Count => values.Length;

    /// <summary>
    /// How many codes the grid holds: the product of the levels, held at <see cref="long.MaxValue"/> when it
    /// would overflow (65536 × 4 wraps a long to 0), so an oversized grid is refused rather than taken as empty.
    /// </summary>
    public long CodeCount => values.Aggregate(1L, (product, level) =>
        level <= 0 ? 0 : product > long.MaxValue / level ? long.MaxValue : product * level);

    /// <summary>Parses "8,5,5,5"; the message names the first entry that is not a whole number.</summary>
    public static FsqLevels Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var levels = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out levels[i]))
                throw new ArgumentException($"--levels {text}: '{parts[i]}' is not a whole number (expected e.g. 8,5,5,5)");
        return new FsqLevels(levels);
    }

    public override string ToString() => string.Join(',', values);
    public bool Equals(FsqLevels? other) => other != null && values.AsSpan().SequenceEqual(other.values);
    public override bool Equals(object? obj) => Equals(obj as FsqLevels);
    public override int GetHashCode() => values.Aggregate(17, (hash, level) => hash * 31 + level);
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)values).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => values.GetEnumerator();
}

/// <summary>Writes the levels as a JSON array of integers and reads them back.</summary>
public sealed class FsqLevelsJsonConverter : JsonConverter<FsqLevels>
{
    public override FsqLevels Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonSerializer.Deserialize<int[]>(ref reader) ?? throw new JsonException("levels must be an array of integers"));

    public override void Write(Utf8JsonWriter writer, FsqLevels value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var level in value) writer.WriteNumberValue(level);
        writer.WriteEndArray();
    }
}
