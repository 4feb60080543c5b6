using VqVae.Data;
using VqVae.Import;

namespace VqVae.TestSupport;

/// <summary>
/// tests/fixtures/pytorch: two tiny models in the reference post's architecture as PyTorch wrote them (state dict,
/// torch.onnx graphs, codebook .npy) with PyTorch's own codes and reconstructions for a few images (its README says how).
/// </summary>
public static class PyTorchFixtures
{
    public const string Mnist = "mnist";
    public const string Rgb = "rgb";

    public static string Folder(string model) => Path.Combine(RepoRoot(), "tests", "fixtures", "pytorch", model);

    public static string File(string model, string name) => Path.Combine(Folder(model), name);

    public static NpyFile Npy(string model, string name) => NpyFile.Read(File(model, name));

    /// <summary>The fixture images as the model takes them, value / 255, NCHW, in the order of codes.npy (file names start with the index).</summary>
    public static (float[] Pixels, int Count, int Channels, int Size) Images(string model)
    {
        var files = Directory.GetFiles(Path.Combine(Folder(model), "images"), "*.png")
            .OrderBy(f => int.Parse(Path.GetFileName(f).Split('_')[0])).ToArray();
        int channels = model == Rgb ? 3 : 1;
        using var first = ImageDecoder.Decode(System.IO.File.ReadAllBytes(files[0]), files[0]);
        int size = first.Width, plane = channels * size * size;
        var pixels = new float[files.Length * plane];
        for (int i = 0; i < files.Length; i++)
        {
            using var bitmap = ImageDecoder.Decode(System.IO.File.ReadAllBytes(files[i]), files[i]);
            ImageDecoder.CopyPixels(bitmap, channels, pixels, i * plane);
        }
        return (pixels, files.Length, channels, size);
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "VqVaeMl.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no VqVaeMl.sln above {AppContext.BaseDirectory}");
    }
}
