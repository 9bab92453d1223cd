using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Cli;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>The progress display of <c>gan train</c>: the bar on a terminal, lines elsewhere.</summary>
[TestFixture]
public class TrainingProgressDisplayTests
{
    private static GanTrainingProgress Progress(int step, double seconds, GanTrainingRecord? record = null, bool epochEnd = false) =>
        new(step, totalSteps: 100, epoch: 1 + (step - 1) / 50, epochs: 2, epochEnd, TimeSpan.FromSeconds(seconds), record,
            (_, _) => throw new AssertionException("the display never samples images"));

    private static GanTrainingRecord Record(int step) => new(step, 1 + (step - 1) / 50, 1.25f, 0.75f, 0.625f, 0.375f);

    [TestCase("Auto", false, null, "Bar")]
    [TestCase("Auto", true, null, "Lines")]
    [TestCase("Auto", false, "true", "Lines")]
    [TestCase("Auto", false, "1", "Lines")]
    [TestCase("Auto", false, "false", "Bar")]
    [TestCase("Auto", false, "", "Bar")]
    [TestCase("Bar", true, "true", "Bar")]
    [TestCase("None", false, null, "None")]
    public void AutoIsABarOnlyOnATerminalOutsideCi(string requested, bool redirected, string? ci, string expected) =>
        Assert.That(TrainingProgressDisplay.ResolveStyle(Enum.Parse<ProgressStyle>(requested), redirected, ci).ToString(), Is.EqualTo(expected));

    [Test]
    public void LinesModePrintsOneLinePerNewRecordWithTotalsEtaAndTheFourFigures()
    {
        var output = new StringWriter();
        var display = new TrainingProgressDisplay(output, ProgressStyle.Lines, () => 80);
        display.Report(Progress(1, 1));
        display.Report(Progress(25, 10, Record(25)));
        display.Report(Progress(26, 10.4, Record(25)));
        display.Report(Progress(50, 20, Record(50)));
        display.Report(Progress(50, 20, Record(50), epochEnd: true));
        display.Finish();

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.EqualTo(new[]
        {
            "step 25/100 epoch 1/2 0:10 ETA 0:30  loss_D 1.2500 loss_G 0.7500 D(x) 0.6250 D(G(z)) 0.3750",
            "step 50/100 epoch 1/2 0:20 ETA 0:20  loss_D 1.2500 loss_G 0.7500 D(x) 0.6250 D(G(z)) 0.3750",
        }));
        Assert.That(output.ToString(), Does.Not.Contain("\r"));
    }

    [Test]
    public void BarModeRedrawsOneLineInPlaceAtMostTenTimesASecondAndKeepsMessagesClear()
    {
        var output = new StringWriter();
        var display = new TrainingProgressDisplay(output, ProgressStyle.Bar, () => 120);
        display.Report(Progress(1, 0.5));
        display.Report(Progress(2, 0.55));        // within 100 ms of the last redraw: skipped
        display.Report(Progress(3, 0.7, Record(3)));
        display.WriteLine("a message");
        display.Report(Progress(100, 9, Record(100)));
        display.Finish();

        string text = output.ToString();
        string[] draws = text.Split('\r', StringSplitOptions.RemoveEmptyEntries).Select(d => d.TrimEnd()).Where(d => d.Length > 0).ToArray();
        Assert.That(draws.Select(d => d.Contains("step 2/100")), Has.None.True);
        Assert.That(draws.First(), Does.StartWith("  1% [").And.Contain("step 1/100 epoch 1/2"));
        Assert.That(draws.Any(d => d.Contains("step 3/100") && d.Contains("loss_D 1.250 loss_G 0.750 D(x) 0.625 D(G(z)) 0.375")), Is.True, text);
        Assert.That(draws.Last(), Does.Match(@"^100% \[=+\] step 100/100 epoch 2/2 0:09 ETA 0:00  loss_D 1\.250"));
        Assert.That(text, Does.Contain("\r" + new string(' ', draws[1].Length) + "\ra message" + Environment.NewLine));
        Assert.That(text.Split(Environment.NewLine), Has.Length.EqualTo(3), "the message and the final newline end lines; redraws do not");
        Assert.That(draws.All(d => d.Length <= 119));
    }

    [Test]
    public void BarShrinksBeforeTheFiguresOnANarrowTerminal()
    {
        var output = new StringWriter();
        var display = new TrainingProgressDisplay(output, ProgressStyle.Bar, () => 80);
        display.Report(Progress(30, 3, Record(30)));
        string line = output.ToString().TrimStart('\r');
        Assert.That(line.Length, Is.LessThanOrEqualTo(79));
        Assert.That(line, Does.Contain("loss_D 1.250 loss_G 0.750 D(x) 0.625"));
    }
}
