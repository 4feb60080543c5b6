namespace VqVae.Common.Tests;

/// <summary>A fresh folder per test, deleted afterwards, so tests never see each other's files.</summary>
sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("vqvae-common-tests-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
