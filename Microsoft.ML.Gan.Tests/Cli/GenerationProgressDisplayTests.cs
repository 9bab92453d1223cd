using System;
using System.IO;
using Microsoft.ML.Gan.Cli;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary>The progress <c>gan generate</c> shows: count, rate and ETA, as a bar on a terminal or a line per percent in a log.</summary>
[TestFixture]
public class GenerationProgressDisplayTests
{
    [Test]
    public void LinesModePrintsOneLinePerPercentWithCountRateAndEta()
    {
        var output = new StringWriter();
        var display = new GenerationProgressDisplay(output, ProgressStyle.Lines);

        display.Report(1_000, 1_000_000, TimeSpan.FromSeconds(1));
        display.Report(5_000, 1_000_000, TimeSpan.FromSeconds(2));
        display.Report(10_000, 1_000_000, TimeSpan.FromSeconds(4));
        display.Report(15_000, 1_000_000, TimeSpan.FromSeconds(6));
        display.Report(1_000_000, 1_000_000, TimeSpan.FromSeconds(400));
        display.Finish();

        Assert.That(output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "  0% 1000/1000000 images 1000 images/s 0:01 ETA 16:39",
            "  1% 10000/1000000 images 2500 images/s 0:04 ETA 6:36",
            "100% 1000000/1000000 images 2500 images/s 6:40 ETA 0:00",
        }));
    }

    [Test]
    public void BarModeRedrawsOneLineInPlace()
    {
        var output = new StringWriter();
        var display = new GenerationProgressDisplay(output, ProgressStyle.Bar);

        display.Report(500, 1_000, TimeSpan.FromSeconds(1));
        display.Report(1_000, 1_000, TimeSpan.FromSeconds(2));
        display.Finish();

        Assert.That(output.ToString(), Is.EqualTo(
            "\r 50% [============>           ] 500/1000 images 500 images/s 0:01 ETA 0:01" +
            "\r100% [========================] 1000/1000 images 500 images/s 0:02 ETA 0:00" + Environment.NewLine));
    }
}
