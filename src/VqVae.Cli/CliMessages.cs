using System.Text.RegularExpressions;

namespace VqVae.Cli;

/// <summary>Command-line parse errors in plain words instead of .NET type names.</summary>
public static partial class CliMessages
{
    /// <summary>"Cannot parse argument 'abc' for option '--epochs' as expected type 'System.Nullable`1[System.Int32]'." → "--epochs: cannot parse 'abc' as an integer".</summary>
    public static string Plain(string message)
    {
        var m = CannotParse().Match(message);
        if (!m.Success) return message.ReplaceLineEndings(" ");
        var type = m.Groups["type"].Value;
        string what =
            type.Contains("Int32") || type.Contains("Int64") ? "an integer" :
            type.Contains("Double") || type.Contains("Single") ? "a number" :
            type.Contains("Boolean") ? "true or false" : "a value of this option";
        return $"{m.Groups["option"].Value}: cannot parse '{m.Groups["value"].Value}' as {what}";
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex CannotParse();
}
