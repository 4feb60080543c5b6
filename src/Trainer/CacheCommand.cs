using System.CommandLine;
using VqVae.Data.Cache;

namespace VqVae.Trainer;

/// <summary>`cache list` and `cache clear [--data DIR]`: the image caches under the cache root (see <see cref="CacheLocation"/>).</summary>
public static class CacheCommand
{
    /// <summary>--cache-dir, for every command that reads or builds the image cache.</summary>
    public static Option<string?> CacheDirOption() => new("--cache-dir")
    {
        Description = $"Where image caches go (default ${CacheLocation.EnvironmentVariable}, else $XDG_CACHE_HOME/vqvae or ~/.cache/vqvae; %LOCALAPPDATA%\\vqvae on Windows)",
    };

    public static Command Create()
    {
        var command = new Command("cache", "List or remove the image caches train and patch-floor keep in the user's cache folder.");
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(ClearCommand());
        return command;
    }

    static Command ListCommand()
    {
        var cacheDir = CacheDirOption();
        var command = new Command("list", "One line per cache folder: the data folder it belongs to, its size and files.") { cacheDir };
        command.SetAction(parse =>
        {
            var root = CacheLocation.Root(parse.GetValue(cacheDir));
            var entries = CacheFolders.List(root);
            Console.WriteLine(entries.Count == 0
                ? $"cache root {root}: no image caches"
                : $"cache root {root}: {entries.Count} image cache folder(s), {entries.Sum(e => e.Bytes) / 1e6:F1} MB");
            foreach (var e in entries) Console.WriteLine($"{e.Folder}: {Describe(e)}");
            return 0;
        });
        return command;
    }

    static Command ClearCommand()
    {
        var cacheDir = CacheDirOption();
        var data = new Option<string?>("--data") { Description = "Remove only this data folder's cache (default: all)" };
        var command = new Command("clear", "Remove the cache folders the tool made (all, or one data folder's); nothing else is touched.") { data, cacheDir };
        command.SetAction(parse =>
        {
            var root = CacheLocation.Root(parse.GetValue(cacheDir));
            var only = parse.GetValue(data);
            var outcomes = CacheFolders.Clear(root, only);
            if (outcomes.Count == 0)
                Console.WriteLine(only is null ? $"cache root {root}: no image caches to remove" : $"cache root {root}: no image cache of {RealPath.Of(only)}");
            foreach (var o in outcomes)
                Console.WriteLine(o.Removed ? $"removed {o.Entry.Folder} ({Describe(o.Entry)})" : $"kept {o.Entry.Folder}: {o.KeptBecause}");
            return 0;
        });
        return command;
    }

    static string Describe(CacheEntry e) =>
        $"data folder {e.DataFolder}{(Directory.Exists(e.DataFolder) ? "" : " (gone)")}, {e.Bytes / 1e6:F1} MB in {e.Files} file(s)";
}
