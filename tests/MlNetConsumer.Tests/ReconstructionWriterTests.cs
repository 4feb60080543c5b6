using VqVaeMl.MlNet.Scoring;

namespace VqVaeMl.MlNet.Tests;

/// <summary>The PNG writer behind `score`: every queued reconstruction written, and its failures thrown to the caller.</summary>
public sealed class ReconstructionWriterTests : IDisposable
{
    readonly string temp = Directory.CreateTempSubdirectory("vqvae-png-writer-").FullName;
    public void Dispose() => Directory.Delete(temp, recursive: true);

    static float[] Planes(int seed, int length)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => random.NextSingle()).ToArray();
    }

    [Fact]
    public void Writes_every_reconstruction_as_its_png_past_the_queue_capacity_and_a_partial_last_group()
    {
        const int channels = 3, height = 5, width = 4, count = 40;  // 13 groups of 3, then 1
        using (var writer = new ReconstructionWriter(temp, channels, height, width, imagesPerGroup: 3, groupsQueued: 1))
        {
            var planes = new float[channels * height * width];
            for (int i = 0; i < count; i++)
            {
                // The caller's buffer is reused at once, as a batch is: the writer must have copied it.
                Planes(i, planes.Length).CopyTo(planes, 0);
                writer.Write($"sub{i % 3}/{i:D3}.png", planes);
            }
            writer.Complete();
        }
        for (int i = 0; i < count; i++)
        {
            var written = File.ReadAllBytes(Path.Combine(temp, FolderScorer.ReconstructionsFolder, $"sub{i % 3}", $"{i:D3}.png"));
            Assert.Equal(ReconstructionPng.Encode(Planes(i, channels * height * width), channels, height, width), written);
        }
    }

    [Fact]
    public void A_failed_write_is_thrown_to_the_scoring_thread()
    {
        // The output "folder" is a file: creating reconstructions/ in it fails on the writer's task.
        var notAFolder = Path.Combine(temp, "file");
        File.WriteAllText(notAFolder, "");
        using var writer = new ReconstructionWriter(notAFolder, 1, 2, 2, imagesPerGroup: 2, groupsQueued: 1);
        Assert.ThrowsAny<IOException>(() =>
        {
            for (int i = 0; i < 100; i++) writer.Write($"{i}.png", new float[4]);
            writer.Complete();
        });
    }
}
