namespace VqVae.OutputSafety.Tests;

/// <summary>One hostile invocation: run inside a fresh copy of the <see cref="World"/> after <see cref="Prepare"/>.</summary>
internal sealed record Case(string Name, string Dll, string OutOption, string[] Args, Action<string> Prepare)
{
    public override string ToString() => Name;
}

/// <summary>
/// The cases every output-writing command must refuse: its output (a) is one of its inputs, (b) is a user's
/// folder or file, with --force where the command has it, (c) lies inside an input, (d) is another command's
/// output, or (e) would displace a user's folder named like the swap's set-aside (NAME.old).
/// </summary>
internal static class Cases
{
    const string UsersFolder = "users-folder";
    const string UsersFile = "users-chart.png";
    const string NewOutput = "new-output";

    /// <param name="first">False for a command's further invocations (e.g. train on an image folder), which add only their own inputs' cases.</param>
    public static IEnumerable<Case> For(string command, Writer writer, bool first)
    {
        var words = command.Split(' ');
        var dll = words[0] + ".dll";
        Case Make(string what, string output, Action<string>? prepare = null) => new(
            $"{command} {writer.OutOption} {output} ({what})", dll, writer.OutOption,
            [.. words[1..], .. writer.Invocation(output), .. writer.Kind == OutputKind.Folder ? ["--force"] : Array.Empty<string>()],
            prepare ?? (_ => { }));

        foreach (var input in writer.Inputs)
        {
            yield return Make($"is {input.Kind}", input.Path);
            if (input.IsFolder && !input.HoldsDefaultOutput) yield return Make($"inside {input.Kind}", $"{input.Path}/out");
        }
        if (!first) yield break;
        switch (writer.Kind)
        {
            case OutputKind.Folder:
                yield return Make("a user's folder", UsersFolder, root => UsersFiles(Path.Combine(root, UsersFolder)));
                yield return Make("beside a user's NAME.old", NewOutput, root => UsersFiles(Path.Combine(root, NewOutput + ".old")));
                foreach (var (output, tool) in World.Outputs)
                    if (tool != writer.Tool && writer.Inputs.All(i => i.Path != output))
                        yield return Make($"written by {tool}", output);
                break;
            case OutputKind.File:
                yield return Make("a user's file", UsersFile, root => File.WriteAllText(Path.Combine(root, UsersFile), "a chart drawn by hand"));
                break;
            case OutputKind.DataSetsParent:
                yield return Make("its mnist/ a user's folder", UsersFolder, root => UsersFiles(Path.Combine(root, UsersFolder, "mnist")));
                yield return Make("its mnist.old a user's folder", UsersFolder, root => UsersFiles(Path.Combine(root, UsersFolder, "mnist.old")));
                break;
        }
    }

    /// <summary>What a user keeps in a folder: a file and a hidden one.</summary>
    static void UsersFiles(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "thesis.tex"), "years of work");
        File.WriteAllText(Path.Combine(folder, ".settings"), "hidden, and kept too");
    }
}
