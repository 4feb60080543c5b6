using System.CommandLine;

namespace VqVae.Trainer;

/// <summary>An option whose values are an enum's, spelt in kebab-case as config.json spells them.</summary>
public static class EnumOption
{
    public static Option<T?> Create<T>(string name, string description) where T : struct, Enum
    {
        var option = new Option<T?>(name)
        {
            Description = $"{description} ({string.Join(", ", KebabCase.Names<T>())})",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (KebabCase.TryParse<T>(text, out var value)) return value;
                result.AddError($"{name}: '{text}' is not one of {string.Join(", ", KebabCase.Names<T>())}");
                return null;
            },
        };
        option.CompletionSources.Add(KebabCase.Names<T>().ToArray());
        return option;
    }
}
