using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Docs;

/// <summary>
/// Every C# example in README.md and docs/*.md is quoted from a program under samples/ that
/// <see cref="Packaging.SampleProgramsTests"/> builds and runs, and says which one: the paragraph just before the
/// block names the file (e.g. "From samples/QuickStart/Program.cs"), and the block's lines appear in that file, in order
/// and together. Only leading indentation and line endings are ignored.
/// </summary>
[TestFixture]
public class DocCodeBlocksComeFromSamplesTests
{
    private static readonly Regex SamplePath = new(@"samples/[\w./-]+\.cs", RegexOptions.Compiled);

    public static IEnumerable<TestCaseData> Documents()
    {
        string repository = RepositoryRoot.Find();
        return new[] { Path.Combine(repository, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(repository, "docs"), "*.md").Order())
            .Select(path => new TestCaseData(Path.GetRelativePath(repository, path).Replace('\\', '/')).SetArgDisplayNames(Path.GetFileName(path)));
    }

    [TestCaseSource(nameof(Documents))]
    public void EveryCSharpBlockIsQuotedFromTheSampleItNames(string document)
    {
        string repository = RepositoryRoot.Find();
        string[] lines = File.ReadAllText(Path.Combine(repository, document)).ReplaceLineEndings("\n").Split('\n');
        var problems = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
                continue;
            int end = Array.FindIndex(lines, i + 1, line => line.Trim() == "```");
            Assert.That(end, Is.GreaterThan(i), $"{document}: the C# block at line {i + 1} is not closed.");
            string[] block = lines[(i + 1)..end].Select(Normalize).ToArray();
            string where = $"{document}, the block at line {i + 1} ('{block.FirstOrDefault(line => line.Length > 0)}')";
            if (Problem(repository, NamedSample(lines, i), block) is { } problem)
                problems.Add($"{where}: {problem}");
            i = end;
        }
        Assert.That(problems, Is.Empty);
    }

    // The first sample named in the paragraph just before the block.
    private static string? NamedSample(string[] lines, int blockStart)
    {
        int end = blockStart - 1;
        while (end >= 0 && lines[end].Trim().Length == 0)
            end--;
        int start = end;
        while (start > 0 && lines[start - 1].Trim().Length > 0)
            start--;
        return end < 0 ? null : SamplePath.Match(string.Join(' ', lines[start..(end + 1)])) is { Success: true } match ? match.Value : null;
    }

    private static string? Problem(string repository, string? sample, string[] block)
    {
        if (sample is null)
            return "the paragraph before it names no samples/…/*.cs file it comes from (write 'From samples/X/Program.cs:').";
        string path = Path.Combine(repository, sample);
        if (!File.Exists(path))
            return $"it names {sample}, which does not exist.";
        string[] source = File.ReadAllText(path).ReplaceLineEndings("\n").Split('\n').Select(Normalize).ToArray();
        // The longest run of the block's lines found together in the sample; the next line is the first that differs.
        int longest = 0;
        for (int start = 0; start < source.Length && longest < block.Length; start++)
        {
            int matched = 0;
            while (matched < block.Length && start + matched < source.Length && source[start + matched] == block[matched])
                matched++;
            longest = Math.Max(longest, matched);
        }
        return longest == block.Length
            ? null
            : $"{sample} does not hold it; after {longest} matching line(s), this line is missing there: '{block[longest]}'.";
    }

    private static string Normalize(string line) => line.TrimStart();
}
