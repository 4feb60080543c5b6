using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.PyBridge;
using VqVae.Checkpoints;
using VqVae.Exporter.Cli;
using VqVae.Import;
using VqVae.TestSupport;
using VqVae.Training;
using static TorchSharp.torch;

namespace VqVae.Exporter.Tests.Import;

/// <summary>
/// vqvae-train import-pytorch on the state dicts the reference post's own code saved (tests/fixtures/pytorch): the run
/// folder's model gives PyTorch's codes and reconstructions, trains on with --resume, and exports.
/// </summary>
public sealed class StateDictImportTests : IDisposable
{
    readonly string scratch = Directory.CreateTempSubdirectory("vqvae-import-pytorch-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    static readonly string[] Quiet = ["--device", "cpu", "--threads", "1"];

    string WriteMnist() => RandomMnist.Write(Path.Combine(scratch, "mnist"), trainCount: 16, testCount: 8);

    [Theory]
    [InlineData(PyTorchFixtures.Mnist)]
    [InlineData(PyTorchFixtures.Rgb)]
    public void The_imported_run_gives_PyTorchs_codes_and_reconstructions(string name)
    {
        var stateDict = PyTorchFixtures.File(name, "state_dict.pt");
        var run = Path.Combine(scratch, "run");
        string[] args = name == PyTorchFixtures.Mnist
            ? ["import-pytorch", "--state-dict", stateDict, "--data", WriteMnist(), "--out", run, .. Quiet]
            : ["import-pytorch", "--state-dict", stateDict, "--preset", "pokemon", "--image-size", "16", "--out", run, .. Quiet];
        var result = ChildProcess.Run("vqvae-train.dll", args);
        Assert.True(result.ExitCode == 0, result.Stderr);

        var (model, info) = Checkpoint.Load(run);
        using var _ = model;
        var (pixels, count, channels, size) = PyTorchFixtures.Images(name);
        var expectedCodes = PyTorchFixtures.Npy(name, "codes.npy");
        var expectedRecon = PyTorchFixtures.Npy(name, "recon.npy");
        using (NewDisposeScope())
        using (no_grad())
        {
            var (codes, _) = model.Quantize(model.Encode(tensor(pixels, [count, channels, size, size])));
            // The fixtures' nearest-code margin (≥ 3e-4) is far above float rounding: every code must be PyTorch's.
            Assert.Equal(expectedCodes.Longs, codes.data<long>().ToArray());
            var recon = model.DecodeCodes(tensor(expectedCodes.Longs!, expectedCodes.Shape)).data<float>().ToArray();
            double worst = recon.Zip(expectedRecon.Floats!).Max(p => Math.Abs((double)p.First - p.Second));
            Assert.True(worst <= 1e-5, $"reconstruction differs from PyTorch's by {worst:E2}");
        }

        var source = Assert.Single(info.ImportedFrom!);
        Assert.Equal(Path.GetFullPath(stateDict), source.Path);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(stateDict))), source.Sha256);
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(run, Checkpoint.LastFolder, TrainingCheckpoint.StateFile)))!;
        Assert.Equal(0, (int)state["completed_epochs"]!);
        Assert.True(File.Exists(Path.Combine(run, Checkpoint.LastFolder, Checkpoint.OptimizerFile)));
        var metrics = Path.Combine(run, TrainingLoop.MetricsFile);
        if (name == PyTorchFixtures.Mnist)
            Assert.Equal(["0"], File.ReadAllLines(metrics).Skip(1).Select(l => l.Split(',')[0]));
        else
        {
            // Run beside the tests, where there is no data/pokemon: no row, said in one line.
            Assert.False(File.Exists(metrics));
            Assert.Contains("metrics.csv has no row", result.Stdout);
        }
    }

    [Fact]
    public void A_state_dict_from_the_post_trains_on_with_resume_and_exports()
    {
        var run = Path.Combine(scratch, "run");
        var imported = ChildProcess.Run("vqvae-train.dll", ["import-pytorch", "--state-dict", PyTorchFixtures.File(PyTorchFixtures.Mnist, "state_dict.pt"),
            "--data", WriteMnist(), "--out", run, .. Quiet]);
        Assert.True(imported.ExitCode == 0, imported.Stderr);
        var (before, _) = Checkpoint.Load(Path.Combine(run, Checkpoint.LastFolder));

        var resumed = ChildProcess.Run("vqvae-train.dll", ["train", "--resume", "--out", run, "--epochs", "1", "--max-steps-per-epoch", "2", "--lr", "1e-2", .. Quiet]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr + resumed.Stdout);
        Assert.Equal(["0", "1"], File.ReadAllLines(Path.Combine(run, TrainingLoop.MetricsFile)).Skip(1).Select(l => l.Split(',')[0]));
        var (after, info) = Checkpoint.Load(Path.Combine(run, Checkpoint.LastFolder));
        Assert.Equal(1, info.Epoch);
        Assert.NotNull(info.ImportedFrom);
        Assert.False(before.encoder.parameters().First().equal(after.encoder.parameters().First()).all().item<bool>(), "the resumed epoch did not train the imported weights");
        // The codebook came trained: no k-means start replaced it at the resumed run's first epoch.
        Assert.False(info.Training!.Codebook.KmeansInit);

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(ExportCli.Run(["--model", run, "--verify"], output, error) == ExportCli.Ok, error.ToString());
        Assert.Contains("Verification passed.", output.ToString());
    }

    [Fact]
    public void A_safetensors_file_imports_the_same_weights()
    {
        var safetensors = Path.Combine(scratch, "model.safetensors");
        using (var stateDict = PyTorchStateDict.Read(PyTorchFixtures.File(PyTorchFixtures.Mnist, "state_dict.pt")))
        using (var stream = File.Create(safetensors))
            Safetensors.SaveStateDict(stream, stateDict.Tensors.ToDictionary());
        var fromPt = Path.Combine(scratch, "from-pt");
        var fromSafetensors = Path.Combine(scratch, "from-safetensors");
        foreach (var (file, run) in new[] { (PyTorchFixtures.File(PyTorchFixtures.Mnist, "state_dict.pt"), fromPt), (safetensors, fromSafetensors) })
        {
            var result = ChildProcess.Run("vqvae-train.dll", ["import-pytorch", "--state-dict", file, "--out", run, .. Quiet]);
            Assert.True(result.ExitCode == 0, result.Stderr);
        }
        var (a, _) = Checkpoint.Load(fromPt);
        var (b, _) = Checkpoint.Load(fromSafetensors);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.equal(pb).all().item<bool>(), $"{name} differs between the .pt and the .safetensors import");
    }
}
