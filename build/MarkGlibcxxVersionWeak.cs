using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Sets VER_FLG_WEAK on the GLIBCXX_3.4.32 requirement of every libLibTorchSharp.so below Directory,
// when the system libstdc++ does not provide that version. See TorchSharpLibstdcxxPatch.targets.
public class MarkGlibcxxVersionWeak : Task
{
    const string Version = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;
    static readonly string[] LibstdcxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    };

    [Required] public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var libs = System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        if (libs.Length == 0 || SystemHasVersion()) return true;
        foreach (var lib in libs)
        {
            int patched = Patch(lib);
            if (patched > 0)
                Log.LogMessage(MessageImportance.High, $"Marked {Version} weak in {lib} (system libstdc++ lacks it)");
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemHasVersion()
    {
        var path = LibstdcxxCandidates.FirstOrDefault(File.Exists);
        if (path == null) return true; // unknown layout: leave the library as shipped
        var bytes = File.ReadAllBytes(path);
        var needle = Encoding.ASCII.GetBytes(Version + "\0");
        return IndexOf(bytes, needle) >= 0;
    }

    // Returns how many Vernaux entries it changed (0 when already weak or absent).
    int Patch(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogWarning($"{path}: not a little-endian 64-bit ELF file; left as is");
            return 0;
        }
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long verneedOffset = BitConverter.ToInt64(elf, (int)sh + 24);
            int strtabIndex = (int)BitConverter.ToUInt32(elf, (int)sh + 40);
            int verneedCount = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strtabOffset = BitConverter.ToInt64(elf, (int)(shoff + (long)strtabIndex * shentsize) + 24);

            long vn = verneedOffset;
            for (int n = 0; n < verneedCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = ReadCString(elf, strtabOffset + BitConverter.ToUInt32(elf, (int)aux + 8));
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (name == Version && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, (int)aux + 4);
                        changed++;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(elf, (int)vn + 12);
            }
        }
        if (changed > 0)
        {
            // Written beside and renamed, so an interrupted build never leaves a torn library.
            var temp = path + ".patching";
            File.WriteAllBytes(temp, elf);
            File.Replace(temp, path, null);
        }
        return changed;
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    static string ReadCString(byte[] bytes, long offset)
    {
        int end = Array.IndexOf(bytes, (byte)0, (int)offset);
        return Encoding.ASCII.GetString(bytes, (int)offset, end - (int)offset);
    }
}
