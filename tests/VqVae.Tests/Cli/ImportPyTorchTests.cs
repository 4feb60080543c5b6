using TorchSharp;
using TorchSharp.PyBridge;
using VqVae.Import;
using VqVae.TestSupport;
using static TorchSharp.torch;

namespace VqVae.Tests.Cli;

/// <summary>
/// vqvae-train import-pytorch refuses what is not the post's model in one line naming the key, the option or the file,
/// with what it expected, and writes nothing.
/// </summary>
public class ImportPyTorchTests
{
    static string PostStateDict => PyTorchFixtures.File(PyTorchFixtures.Mnist, "state_dict.pt");

    /// <summary>The post's mnist state dict with one change, saved as torch.save would.</summary>
    static string Changed(TempFolder dir, Action<Dictionary<string, Tensor>> change)
    {
        using var stateDict = PyTorchStateDict.Read(PostStateDict);
        var tensors = stateDict.Tensors.ToDictionary(e => e.Key, e => e.Value.clone());
        change(tensors);
        var path = dir.File("changed.pt");
        using (var stream = File.Create(path)) PyTorchPickler.PickleStateDict(stream, tensors);
        return path;
    }

    static void AssertRefused(TempFolder dir, string stateDict, string expected, params string[] more)
    {
        var outDir = dir.File("run");
        var result = ChildProcess.Run("vqvae-train.dll", ["import-pytorch", "--state-dict", stateDict, "--out", outDir, "--device", "cpu", "--threads", "1", .. more]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.False(Directory.Exists(outDir), "a refused import left an output folder");
    }

    [Fact]
    public void A_missing_key_is_named_with_its_expected_shape()
    {
        using var dir = new TempFolder();
        AssertRefused(dir, Changed(dir, t => t.Remove("decoder.linear.bias")), "missing key 'decoder.linear.bias' (expected [1])");
    }

    [Fact]
    public void An_extra_key_is_named()
    {
        using var dir = new TempFolder();
        AssertRefused(dir, Changed(dir, t => t["encoder.norm.weight"] = ones(8)), "unexpected key 'encoder.norm.weight' [8]");
    }

    [Fact]
    public void A_wrong_shaped_key_is_named_with_the_shape_expected()
    {
        using var dir = new TempFolder();
        AssertRefused(dir, Changed(dir, t => t["decoder.linear.weight"] = zeros(3, 8)), "'decoder.linear.weight' is [3, 8], expected [1, 8]");
    }

    [Fact]
    public void A_size_option_that_disagrees_with_the_tensors_is_refused()
    {
        using var dir = new TempFolder();
        AssertRefused(dir, PostStateDict, "--hidden-size 16: disagrees with the state dict", "--hidden-size", "16");
    }

    [Fact]
    public void An_rgb_model_under_a_grayscale_preset_is_refused_naming_the_preset()
    {
        using var dir = new TempFolder();
        AssertRefused(dir, PyTorchFixtures.File(PyTorchFixtures.Rgb, "state_dict.pt"), "--preset mnist: its images have 1 channel(s), the state dict's model 3");
    }

    [Fact]
    public void A_patch_size_that_does_not_divide_the_image_is_refused()
    {
        using var dir = new TempFolder();
        AssertRefused(dir, PostStateDict, "patch size 4 must divide the image size 30x30", "--image-size", "30");
    }

    [Fact]
    public void A_file_that_is_not_a_state_dict_is_refused()
    {
        using var dir = new TempFolder();
        var png = Directory.GetFiles(Path.Combine(PyTorchFixtures.Folder(PyTorchFixtures.Mnist), "images"))[0];
        AssertRefused(dir, png, "not a state dict saved by torch.save");
    }
}
