using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// Finds the image files under a folder, following symbolic links to folders and files but listing every real folder
/// once and every real file once, so that a link loop cannot make the search endless and a linked file is not a second
/// training image.
/// </summary>
/// <remarks>
/// Following links keeps the common layout <c>images/train -> /mnt/disk/train</c> working; .NET's own recursive search
/// follows them too, without tracking where it has been, and so never ends on a loop. Identity is the path with every
/// link resolved (what realpath(3) gives). Of the paths that reach one real file, the first in ordinal order is kept.
/// </remarks>
internal static class ImageFileSearch
{
    /// <summary>Links followed while resolving one path before it is taken as a loop (Linux's own limit).</summary>
    private const int MaxLinksPerPath = 40;

    private static readonly char[] Separators = { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar };

    /// <summary>
    /// Lists the files under <paramref name="folder"/> whose extension is one of <paramref name="extensions"/>, in ordinal
    /// path order, each spelled as <paramref name="folder"/> joined with the path below it.
    /// </summary>
    /// <param name="folder">The folder to search, subfolders included.</param>
    /// <param name="extensions">Lower-case extensions with the dot, such as ".png".</param>
    /// <returns>The files, and how many further paths were left out because they reach a file already listed.</returns>
    public static (IReadOnlyList<string> Files, int Duplicates) Find(string folder, IReadOnlyCollection<string> extensions)
    {
        var found = new List<(string Path, string RealPath)>();
        Walk(folder, RealPath(folder), extensions, new HashSet<string>(StringComparer.Ordinal), found);

        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string path, string realPath) in found.OrderBy(file => file.Path, StringComparer.Ordinal))
        {
            if (seen.Add(realPath))
            {
                files.Add(path);
            }
        }

        return (files, found.Count - files.Count);
    }

    private static void Walk(string folder, string realFolder, IReadOnlyCollection<string> extensions, HashSet<string> visited, List<(string, string)> found)
    {
        if (!visited.Add(realFolder))
        {
            return;
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            bool isLink = new FileInfo(entry).LinkTarget != null;
            if (Directory.Exists(entry))
            {
                Walk(entry, isLink ? RealPath(entry) : Path.Combine(realFolder, Path.GetFileName(entry)), extensions, visited, found);
            }
            else if (extensions.Contains(Path.GetExtension(entry).ToLowerInvariant()))
            {
                // A link whose target is missing stays listed under its own path, so that reading it names the file.
                string realPath = !isLink ? Path.Combine(realFolder, Path.GetFileName(entry))
                    : File.Exists(entry) ? RealPath(entry)
                    : Path.GetFullPath(entry);
                found.Add((entry, realPath));
            }
        }
    }

    /// <summary>The absolute path with every symbolic link in it resolved, component by component.</summary>
    private static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>(Components(full, current).Reverse());
        int links = 0;
        while (pending.Count > 0)
        {
            string next = Path.Combine(current, pending.Pop());
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinksPerPath)
            {
                throw new IOException($"'{path}' goes through more than {MaxLinksPerPath} symbolic links; is there a link loop?");
            }

            // A relative target is relative to the folder holding the link, which is resolved already.
            string resolved = Path.GetFullPath(target, current);
            current = Path.GetPathRoot(resolved)!;
            foreach (string component in Components(resolved, current).Reverse())
            {
                pending.Push(component);
            }
        }

        return current;
    }

    private static string[] Components(string fullPath, string root) =>
        fullPath[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries);
}
