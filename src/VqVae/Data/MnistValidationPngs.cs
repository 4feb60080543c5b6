using VqVae.Imaging;

namespace VqVae.Data;

/// <summary>
/// The MNIST validation split (t10k) as a folder of PNGs, named &lt;index&gt;-&lt;label&gt;.png: what the
/// ML.NET side scores in the main job, since an app scores image files, not IDX records.
/// </summary>
public static class MnistValidationPngs
{
    public const string FolderName = "mnist-validation-png";

    public static string Write(string mnistDir, string dataDir, Action<string>? log = null)
    {
        var target = Path.Combine(Path.GetFullPath(dataDir), FolderName);
        if (Directory.Exists(target)) { log?.Invoke($"{FolderName}: already in {target}; nothing to do"); return target; }
        var (_, validation) = MnistDataset.Load(mnistDir);
        var (_, labels) = MnistDataset.LoadLabels(mnistDir);
        AtomicFile.WriteDirectory(target, folder =>
        {
            for (int i = 0; i < validation.Count; i++)
                ImageGrid.SavePng(Path.Combine(folder, $"{i:D4}-{labels[i]}.png"), validation.Image(i).ToArray(), 1, validation.Height, validation.Width);
        });
        log?.Invoke($"{FolderName}: {validation.Count} PNGs in {target}");
        return target;
    }
}
