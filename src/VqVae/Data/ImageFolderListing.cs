namespace VqVae.Data;

/// <summary>One image file of a folder: where it is below the folder, and what the file system says about it.</summary>
public sealed record ImageFile(string RelativePath, long Length, DateTime LastWriteUtc);

/// <summary>
/// Every PNG/JPEG/GIF/BMP file below a folder, in ordinal order of relative path so the same folder
/// always gives the same order (and so the same split). Sizes and times come with the listing, so a
/// cache can tell whether the folder changed without opening a file.
/// </summary>
public static class ImageFolderListing
{
    public static IReadOnlyList<ImageFile> List(string folder)
    {
        if (!Directory.Exists(folder)) throw new InvalidDataException($"{folder}: folder not found");
        var all = new DirectoryInfo(folder).GetFiles("*", SearchOption.AllDirectories);
        var files = all.Where(f => ImageDecoder.HasImageExtension(f.Name))
            .Select(f => new ImageFile(Path.GetRelativePath(folder, f.FullName), f.Length, f.LastWriteTimeUtc))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
            throw new InvalidDataException(all.Length == 0
                ? $"{folder}: folder is empty; expected PNG, JPEG, GIF or BMP images in it or below it"
                : $"{folder}: no PNG, JPEG, GIF or BMP images in it or below it (only {all.Length} other files)");
        return files;
    }
}
