using System.Text.Json;

namespace VqVaeMl.Common;

/// <summary>
/// Enum values as users write them (<c>straight-through</c>, <c>ema</c>): the spelling of config.json,
/// the graph metadata and the command-line options alike.
/// </summary>
public static class KebabCase
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Name).ToArray();

    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
            if (Name(candidate) == text) { value = candidate; return true; }
        value = default;
        return false;
    }
}
