using System.Diagnostics;
using VqVae.TestSupport;

namespace VqVae.Common.Tests;

/// <summary>
/// One process at a time per output folder: the claim beside it refuses a second writer, is taken over
/// when its process on this host is gone, is never judged for another host, and is gone once the output is written.
/// </summary>
public sealed class OutputClaimTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("vqvae-claim-").FullName;
    public void Dispose() => Directory.Delete(root, recursive: true);

    string Output => Path.Combine(root, "out");
    string Claim => Path.Combine(root, ".out.claim");

    [Fact]
    public void A_claim_of_a_live_process_refuses_a_second_writer_naming_it_and_writes_nothing()
    {
        using var other = Process.Start("sleep", "60")!;
        try
        {
            File.WriteAllText(Claim, new ProcessIdentity(ProcessIdentity.Current.Host, other.Id).Tag + "\n");
            var e = Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(Output, force: true, "vqvae-score", []));
            Assert.Equal($"--out {Output} is being written by process {other.Id} on {ProcessIdentity.Current.Host} ({Claim}); wait for it to finish, or delete that file if the process is gone", e.Message);
            Assert.Equal([Claim], Directory.GetFileSystemEntries(root));
        }
        finally { other.Kill(); }
    }

    [Fact]
    public void A_claim_of_another_host_is_never_judged_dead_here()
    {
        File.WriteAllText(Claim, ProcessTags.OtherHost() + "\n");
        var e = Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(Output, force: false, "vqvae-score", []));
        Assert.Contains("on other-node-7", e.Message);
        Assert.True(File.Exists(Claim));
    }

    [Fact]
    public void A_claim_being_written_refuses_too()
    {
        File.WriteAllText(Claim, "");
        var e = Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(Output, force: false, "vqvae-score", []));
        Assert.Contains("is being written by another process", e.Message);
    }

    [Fact]
    public void A_stale_claim_of_this_host_is_taken_over_and_the_claim_is_gone_once_the_output_is_written()
    {
        File.WriteAllText(Claim, ProcessTags.DeadHere() + "\n");
        Assert.Equal(Output, OutputFolder.Check(Output, force: false, "vqvae-score", []));
        Assert.Equal(ProcessIdentity.Current.Tag, File.ReadAllText(Claim).Trim());
        OutputFolder.Write(Output, "vqvae-score", temp => File.WriteAllText(Path.Combine(temp, "codes.csv"), "x"));
        Assert.False(File.Exists(Claim));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_refused_output_leaves_no_claim_behind()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "notes.txt"), "the user's");
        Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(Output, force: false, "vqvae-score", []));
        Assert.Throws<OutputRefusedException>(() => OutputFolder.Check(Output, force: true, "vqvae-score", []));
        Assert.False(File.Exists(Claim));
    }

    [Fact]
    public void Release_all_removes_every_claim_this_process_holds()
    {
        OutputFolder.Check(Output, force: false, "vqvae-score", []);
        Assert.True(File.Exists(Claim));
        OutputClaim.ReleaseAll();
        Assert.False(File.Exists(Claim));
    }
}
