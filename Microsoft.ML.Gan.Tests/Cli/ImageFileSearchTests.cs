using System;
using System.IO;
using Microsoft.ML.Gan.Cli;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>
/// <see cref="ImageFileSearch"/>: symbolic links are followed, but a real folder is searched once and a real file listed
/// once, in ordinal path order (.NET's own recursive search never ends on a link loop).
/// </summary>
[TestFixture]
public sealed class ImageFileSearchTests
{
    private static readonly string[] Png = { ".png" };
    private string _root = null!;
    private string _tree = null!;

    [SetUp]
    public void CreateFolders()
    {
        _root = Path.Combine(Path.GetTempPath(), "gan-image-search-" + Guid.NewGuid().ToString("N"));
        _tree = Path.Combine(_root, "tree");
        Directory.CreateDirectory(_tree);
    }

    [TearDown]
    public void DeleteFolders() => Directory.Delete(_root, recursive: true);

    [Test]
    public void LinkLoopIsSearchedOnce()
    {
        string a = Touch(_tree, "a.png");
        string b = Touch(_tree, "sub", "b.png");
        Directory.CreateSymbolicLink(Path.Combine(_tree, "sub", "loop"), "..");
        Directory.CreateSymbolicLink(Path.Combine(_tree, "sub", "self"), ".");

        var (files, duplicates) = ImageFileSearch.Find(_tree, Png);

        Assert.That(files, Is.EqualTo(new[] { a, b }));
        Assert.That(duplicates, Is.Zero, "the loop's folders are not entered, so nothing under them is met");
    }

    [Test]
    public void LinksToAFileInTheTreeCountItOnce()
    {
        string a = Touch(_tree, "a.png");
        File.CreateSymbolicLink(Path.Combine(_tree, "b.png"), "a.png");
        Directory.CreateDirectory(Path.Combine(_tree, "sub"));
        File.CreateSymbolicLink(Path.Combine(_tree, "sub", "c.png"), a);
        string d = Touch(_tree, "d.png");

        var (files, duplicates) = ImageFileSearch.Find(_tree, Png);

        Assert.That(files, Is.EqualTo(new[] { a, d }), "of the paths to one file, the first in ordinal order is kept");
        Assert.That(duplicates, Is.EqualTo(2));
    }

    [Test]
    public void LinkedFolderOutsideTheTreeIsFollowedOnceWhateverTheNumberOfLinks()
    {
        Touch(_root, "outside", "c.png");
        string own = Touch(_tree, "own.png");
        Directory.CreateSymbolicLink(Path.Combine(_tree, "x"), Path.Combine(_root, "outside"));
        Directory.CreateSymbolicLink(Path.Combine(_tree, "y"), Path.Combine("..", "outside"));

        var (files, duplicates) = ImageFileSearch.Find(_tree, Png);

        Assert.That(files, Is.EqualTo(new[] { own, Path.Combine(_tree, "x", "c.png") }));
        Assert.That(duplicates, Is.Zero, "y is the folder x already searched");
    }

    [Test]
    public void TreeReachedThroughALinkedParentIsTheSameTree()
    {
        string a = Touch(_tree, "a.png");
        string alias = Path.Combine(_root, "alias");
        Directory.CreateSymbolicLink(alias, _tree);
        Directory.CreateSymbolicLink(Path.Combine(_tree, "back"), alias);

        var (files, _) = ImageFileSearch.Find(alias, Png);

        Assert.That(files, Is.EqualTo(new[] { Path.Combine(alias, "a.png") }), "back leads to the folder being searched: " + a);
    }

    [Test]
    public void DanglingLinkIsListedSoThatReadingItNamesIt()
    {
        string a = Touch(_tree, "a.png");
        string dangling = Path.Combine(_tree, "gone.png");
        File.CreateSymbolicLink(dangling, "missing.png");

        var (files, _) = ImageFileSearch.Find(_tree, Png);

        Assert.That(files, Is.EqualTo(new[] { a, dangling }));
    }

    private static string Touch(params string[] parts)
    {
        string path = Path.Combine(parts);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[] { 1 });
        return path;
    }
}
