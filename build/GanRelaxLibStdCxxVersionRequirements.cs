// Compiled by MSBuild's RoslynCodeTaskFactory (see Microsoft.ML.Gan.targets); not part of any assembly.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks the GLIBCXX version requirements of an ELF shared library that this machine's libstdc++ cannot
/// satisfy as weak (VER_FLG_WEAK), so glibc loads the library with a warning instead of refusing it.
/// </summary>
public class GanRelaxLibStdCxxVersionRequirements : Task
{
    private const uint SectionTypeGnuVersionNeed = 0x6ffffffe;
    private const ushort VersionFlagWeak = 0x2;

    private static readonly string[] LibStdCxxFolders =
    {
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib64", "/usr/lib64", "/usr/lib", "/lib",
    };

    [Required]
    public ITaskItem[] Libraries { get; set; }

    /// <summary>
    /// Versions to mark weak even when this machine's libstdc++ has them: for outputs that travel to other machines
    /// (the gan tool package), so they load on Debian 12 wherever they were built.
    /// </summary>
    public string[] AlwaysRelax { get; set; }

    public override bool Execute()
    {
        string libStdCxx = FindSystemLibStdCxx();
        if (libStdCxx == null && (AlwaysRelax == null || AlwaysRelax.Length == 0))
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++.so.6 found; TorchSharp's native shim is left as it is.");
            return true;
        }

        byte[] systemLibrary = libStdCxx == null ? new byte[0] : File.ReadAllBytes(libStdCxx);
        libStdCxx = libStdCxx ?? "this machine (no libstdc++.so.6 found)";
        foreach (ITaskItem item in Libraries)
        {
            string path = item.GetMetadata("FullPath");
            if (File.Exists(path))
            {
                RelaxLibrary(path, systemLibrary, libStdCxx);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private void RelaxLibrary(string path, byte[] systemLibrary, string libStdCxx)
    {
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogMessage(MessageImportance.Low, "{0} is not a 64-bit little-endian ELF file; left as it is.", path);
            return;
        }

        long sectionTableOffset = BitConverter.ToInt64(elf, 0x28);
        int sectionHeaderSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        var relaxed = new List<string>();

        for (int section = 0; section < sectionCount; section++)
        {
            int header = checked((int)(sectionTableOffset + (long)section * sectionHeaderSize));
            if (BitConverter.ToUInt32(elf, header + 4) != SectionTypeGnuVersionNeed)
            {
                continue;
            }

            int needOffset = checked((int)BitConverter.ToInt64(elf, header + 0x18));
            int linkedStrings = BitConverter.ToInt32(elf, header + 0x28);
            int needCount = BitConverter.ToInt32(elf, header + 0x2C);
            int stringsHeader = checked((int)(sectionTableOffset + (long)linkedStrings * sectionHeaderSize));
            int stringsOffset = checked((int)BitConverter.ToInt64(elf, stringsHeader + 0x18));

            int need = needOffset;
            for (int n = 0; n < needCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                string file = ReadString(elf, stringsOffset + BitConverter.ToInt32(elf, need + 4));
                int aux = need + BitConverter.ToInt32(elf, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string version = ReadString(elf, stringsOffset + BitConverter.ToInt32(elf, aux + 8));
                    ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                    bool isLibStdCxxVersion = file.StartsWith("libstdc++", StringComparison.Ordinal) && version.StartsWith("GLIBCXX_", StringComparison.Ordinal);
                    bool alwaysRelax = AlwaysRelax != null && Array.IndexOf(AlwaysRelax, version) >= 0;
                    if (isLibStdCxxVersion && (flags & VersionFlagWeak) == 0 && (alwaysRelax || !ContainsVersionName(systemLibrary, version)))
                    {
                        BitConverter.GetBytes((ushort)(flags | VersionFlagWeak)).CopyTo(elf, aux + 4);
                        relaxed.Add(version);
                    }
                    aux += BitConverter.ToInt32(elf, aux + 12);
                }
                need += BitConverter.ToInt32(elf, need + 12);
            }
        }

        if (relaxed.Count == 0)
        {
            return;
        }

        // Write beside and rename, so a hard link into the NuGet cache is replaced, never modified.
        string temporary = path + ".gan-tmp";
        File.WriteAllBytes(temporary, elf);
        File.Delete(path);
        File.Move(temporary, path);
        Log.LogMessage(MessageImportance.Normal,
            "Microsoft.ML.Gan: {0} requires {1}, which {2} lacks (or GanLibStdCxxAlwaysRelax lists); marked weak so TorchSharp loads on this distribution.",
            path, string.Join(", ", relaxed), libStdCxx);
    }

    private static string FindSystemLibStdCxx()
    {
        foreach (string folder in LibStdCxxFolders)
        {
            string candidate = Path.Combine(folder, "libstdc++.so.6");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool ContainsVersionName(byte[] library, string version)
    {
        byte[] needle = Encoding.ASCII.GetBytes("\0" + version + "\0");
        for (int start = 0; start <= library.Length - needle.Length; start++)
        {
            int matched = 0;
            while (matched < needle.Length && library[start + matched] == needle[matched])
            {
                matched++;
            }
            if (matched == needle.Length)
            {
                return true;
            }
        }
        return false;
    }

    private static string ReadString(byte[] elf, int offset)
    {
        int end = offset;
        while (elf[end] != 0)
        {
            end++;
        }
        return Encoding.ASCII.GetString(elf, offset, end - offset);
    }
}
