namespace VqVaeMl.MlNet.Scoring;

/// <summary>
/// Checks that shard outputs are the N shards of one run: one model, one images folder, one N, and every
/// index from 0 to N−1 exactly once. Throws InvalidDataException naming the first offending shard.
/// </summary>
public static class ShardSet
{
    /// <summary>The shards ordered by index.</summary>
    public static IReadOnlyList<ShardOutput> Check(IReadOnlyList<ShardOutput> shards)
    {
        if (shards.Count == 0) throw new InvalidDataException("no shard folders given");
        var first = shards[0];
        foreach (var s in shards.Skip(1))
        {
            if (s.Summary.ModelSha256 != first.Summary.ModelSha256)
                throw new InvalidDataException(
                    $"{s.Folder}: shard {s.Shard} was scored with another model ({s.Summary.Model}, sha256 {Short(s.Summary.ModelSha256)}) "
                    + $"than {first.Folder} ({first.Summary.Model}, sha256 {Short(first.Summary.ModelSha256)})");
            if (!SameFolder(s.Summary.Input, first.Summary.Input))
                throw new InvalidDataException(
                    $"{s.Folder}: shard {s.Shard} scored the images folder {s.Summary.Input}, but {first.Folder} scored {first.Summary.Input}");
            if (s.Shard.Count != first.Shard.Count)
                throw new InvalidDataException(
                    $"{s.Folder}: shard {s.Shard} is one of {s.Shard.Count} shards, but {first.Folder} (shard {first.Shard}) is one of {first.Shard.Count}");
        }
        foreach (var twice in shards.GroupBy(s => s.Shard.Index).Where(g => g.Count() > 1))
            throw new InvalidDataException(
                $"shard {twice.First().Shard} given more than once: {string.Join(" and ", twice.Select(s => s.Folder))}");
        int n = first.Shard.Count;
        var missing = Enumerable.Range(0, n).Except(shards.Select(s => s.Shard.Index)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"shard {string.Join(", ", missing.Select(i => $"{i}/{n}"))} missing: "
                + $"{shards.Count} of {n} shards given ({string.Join(", ", shards.Select(s => s.Shard.ToString()).Order(StringComparer.Ordinal))})");
        return shards.OrderBy(s => s.Shard.Index).ToList();
    }

    /// <summary>"images" and "images/" given to two shards are one folder.</summary>
    static bool SameFolder(string a, string b) =>
        Path.TrimEndingDirectorySeparator(a) == Path.TrimEndingDirectorySeparator(b);

    static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;
}
