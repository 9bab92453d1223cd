using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.ML.Gan.Cli;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>Help text wraps to the terminal's width, and to 80 columns when there is no terminal.</summary>
[TestFixture]
public class HelpWidthTests
{
    [TestCase(50, "train")]
    [TestCase(72, "train")]
    [TestCase(120, "train")]
    [TestCase(60, "generate")]
    [TestCase(60, "interpolate")]
    [TestCase(60, "evaluate")]
    public void HelpLines_FitTheWidth_AndKeepEveryWord(int width, string command)
    {
        CliResult narrow = CliRunner.RunWithHelpWidth(width, command, "--help");
        CliResult unwrapped = CliRunner.RunWithHelpWidth(int.MaxValue, command, "--help");
        string[] lines = narrow.Output.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();

        Assert.That(narrow.ExitCode, Is.EqualTo(ExitCodes.Success), narrow.Error);
        Assert.That(lines.Where(line => line.Length > width), Is.Empty, $"lines wider than {width} columns");
        Assert.That(lines.Max(line => line.Length), Is.GreaterThan(width - 20), "the text uses the width it is given");
        Assert.That(Characters(narrow.Output), Is.EqualTo(Characters(unwrapped.Output)), "wrapping moves text, it does not drop any");
    }

    [Test]
    public void TrainHelp_OnA60ColumnTerminal_StillSaysWhereTheDefaultDataComesFrom()
    {
        string help = Regex.Replace(CliRunner.RunWithHelpWidth(60, "train", "--help").Output, @"\s+", " ");
        Assert.That(help, Does.Contain("Default: the Fashion-MNIST test set shipped with the tool."));
    }

    [Test]
    public void Width_IsTheTerminalsWhenThereIsOne_Else80Columns()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HelpWidth.Choose(outputRedirected: false, () => 132), Is.EqualTo(132), "a terminal");
            Assert.That(HelpWidth.Choose(outputRedirected: true, () => 132), Is.EqualTo(80), "a pipe or a file");
            Assert.That(HelpWidth.Choose(outputRedirected: false, () => 0), Is.EqualTo(80), "a terminal that reports no width");
            Assert.That(HelpWidth.Choose(outputRedirected: false, () => throw new IOException("The handle is invalid.")), Is.EqualTo(80), "no console");
        });
    }

    // Wrapped lines of the two columns interleave, and a long option label is split inside a word, so what is compared
    // is the text's characters apart from whitespace, in any order.
    private static string Characters(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)).OrderBy(c => c));
}
