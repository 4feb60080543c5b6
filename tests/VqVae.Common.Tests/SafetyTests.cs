using VqVae.Cli;
using VqVae.TestSupport;

namespace VqVae.Common.Tests;

/// <summary>The shared guards: output folders, stale temporaries, the last line of defence, plain parse errors.</summary>
public sealed class SafetyTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("vqvae-safety-").FullName;
    public void Dispose() => Directory.Delete(root, recursive: true);

    string Folder(string name) => Directory.CreateDirectory(Path.Combine(root, name)).FullName;

    [Fact]
    public void A_link_to_an_input_is_seen_as_the_input()
    {
        var data = Folder("data");
        var link = Path.Combine(root, "link");
        Directory.CreateSymbolicLink(link, data);
        var e = Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(link, force: true, "vqvae-train", [("--data", data)]));
        Assert.Contains("is --data itself", e.Message);
        e = Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(Path.Combine(link, "out"), force: true, "vqvae-train", [("--data", data)]));
        Assert.Contains("lies inside --data", e.Message);
    }

    [Fact]
    public void Force_replaces_only_the_same_tools_output()
    {
        var output = Folder("out");
        OutputFolder.Write(output, "vqvae-score", temp => File.WriteAllText(Path.Combine(temp, "codes.csv"), "x"));
        Assert.Equal("vqvae-score", OutputFolder.Owner(output));
        Assert.Equal(output, OutputFolder.Check(output, force: true, "vqvae-score", []));
        var e = Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(output, force: true, "vqvae-export", []));
        Assert.Contains("written by vqvae-score, not vqvae-export", e.Message);
        // A sibling whose name merely starts like the input's is not inside it.
        Assert.Equal(output + "-2", OutputFolder.Check(output + "-2", force: false, "vqvae-score", [("--images", output)]));
    }

    [Fact]
    public void An_output_may_lie_inside_a_run_it_reads_but_may_not_be_or_hold_it()
    {
        var run = Folder("run");
        (string, string)[] runs = [("--model", run)];
        var prior = Path.Combine(run, "prior");
        Assert.Equal(prior, OutputFolder.Check(prior, force: false, "vqvae-train prior", [], runs: runs));
        var e = Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(run, force: true, "vqvae-train prior", [], runs: runs));
        Assert.Contains("is --model itself", e.Message);
        e = Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(root, force: true, "vqvae-train prior", [], runs: runs));
        Assert.Contains("holds --model", e.Message);
        // What the command reads inside the run is an input: no output inside it.
        e = Assert.Throws<OutputRefusedException>(() =>
            OutputFolder.Check(Path.Combine(run, "best", "prior"), force: true, "vqvae-train prior", [("--model", Path.Combine(run, "best"))], runs: runs));
        Assert.Contains("lies inside --model", e.Message);
    }

    [Fact]
    public void A_users_folder_where_the_swap_sets_the_old_output_aside_is_refused_not_deleted()
    {
        var output = Path.Combine(root, "scored");
        var aside = Folder("scored.old");
        File.WriteAllText(Path.Combine(aside, "notes"), "mine");
        var e = Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(output, force: true, "vqvae-score", []));
        Assert.Contains($"{aside} is in the way", e.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(aside, "notes")));
        // One the tool set aside itself (a swap killed half-way) is its own to clear.
        OutputFolder.Mark(aside, "vqvae-score");
        Assert.Equal(output, OutputFolder.Check(output, force: true, "vqvae-score", []));
    }

    [Fact]
    public void A_chart_file_never_replaces_a_file_nor_lands_inside_an_input()
    {
        var run = Folder("chart-run");
        var metrics = Path.Combine(run, "metrics.csv");
        File.WriteAllText(metrics, "epoch\n");
        var e = Assert.Throws<OutputRefusedException>(() => OutputFile.Check(metrics, "--rate-distortion", [("the run", run)]));
        Assert.Contains("lies inside the run", e.Message);
        var users = Path.Combine(root, "chart.png");
        File.WriteAllText(users, "drawn by hand");
        e = Assert.Throws<OutputRefusedException>(() => OutputFile.Check(users, "--rate-distortion", [("the run", run)]));
        Assert.Contains("already exists", e.Message);
        Assert.Equal(Path.Combine(root, "new.png"), OutputFile.Check(Path.Combine(root, "new.png"), "--rate-distortion", [("the run", run)]));
    }

    [Fact]
    public void Stale_temporaries_of_dead_processes_of_this_host_go_and_all_others_stay()
    {
        var dead = ProcessTags.DeadHere();
        var stale = Folder($".run.tmp-{dead}");
        File.WriteAllText(Path.Combine(root, $".metrics.csv.tmp-{dead}"), "half");
        var live = Folder($".run.tmp-{ProcessIdentity.Current.Tag}");
        // Another host's temporary, with a PID no process here has: that host's process may be running.
        var otherHost = Folder($".run.tmp-{ProcessTags.OtherHost()}");
        // An earlier version's name (PID only) says nothing of its host: left alone.
        var unnamedHost = Folder($".run.tmp-{ProcessTags.DeadPid()}");
        var users = Folder(".tmp-notes");
        Assert.Equal(2, StaleTemporaries.Remove(root));
        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(otherHost));
        Assert.True(Directory.Exists(unnamedHost));
        Assert.True(Directory.Exists(users));
    }

    [Fact]
    public void Temporaries_are_named_by_host_and_pid_and_a_host_with_dashes_reads_back()
    {
        var temp = AtomicFile.TempNameFor(Path.Combine(root, "out"));
        Assert.Equal($".out.tmp-{ProcessIdentity.Current.Host}-{Environment.ProcessId}", Path.GetFileName(temp));
        Assert.True(ProcessIdentity.TryParse("node-12.cluster-4242", out var id));
        Assert.Equal(new ProcessIdentity("node-12.cluster", 4242), id);
        Assert.False(ProcessIdentity.TryParse("4242", out _));
        Assert.False(new ProcessIdentity("other-node-7", ProcessTags.DeadPid()).IsGone);
        Assert.True(new ProcessIdentity(ProcessIdentity.Current.Host, ProcessTags.DeadPid()).IsGone);
    }

    [Fact]
    public void An_unexpected_exception_is_one_line_and_its_trace_goes_to_a_log_file()
    {
        Exception thrown;
        try { throw new InvalidCastException("a cast that cannot be"); }
        catch (Exception e) { thrown = e; }
        var stderr = new StringWriter();
        Assert.Equal(CliHost.UnexpectedExit, CliHost.Report("vqvae-test", thrown, stderr));
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("vqvae-test: unexpected error: a cast that cannot be, details in ", line);
        var log = line[(line.IndexOf("details in ") + "details in ".Length)..];
        Assert.Contains(nameof(An_unexpected_exception_is_one_line_and_its_trace_goes_to_a_log_file), File.ReadAllText(log));
        File.Delete(log);
    }

    [Fact]
    public void A_full_disk_names_the_output_not_its_temporary()
    {
        var e = new IOException("No space left on device : '/data/runs/.onnx.tmp-node-3-4242/encoder.onnx'", 28);
        Assert.True(DiskFull.Is(e));
        Assert.Equal("no space left on device while writing /data/runs/onnx/encoder.onnx", DiskFull.Describe(e));
    }

    [Theory]
    [InlineData("Cannot parse argument 'abc' for option '--epochs' as expected type 'System.Nullable`1[System.Int32]'.", "--epochs: cannot parse 'abc' as an integer")]
    [InlineData("Cannot parse argument '1e' for option '--lr' as expected type 'System.Nullable`1[System.Double]'.", "--lr: cannot parse '1e' as a number")]
    [InlineData("Option '--model' is required.", "Option '--model' is required.")]
    public void Parse_errors_name_the_option_without_dotnet_types(string message, string plain) =>
        Assert.Equal(plain, CliMessages.Plain(message));
}
