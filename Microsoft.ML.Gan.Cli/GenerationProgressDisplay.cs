using System;
using System.Globalization;
using System.IO;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// What <c>gan generate</c> prints while it writes: a bar redrawn in place with the count, rate and ETA, or, when
/// output is redirected, one line per percent done.
/// </summary>
internal sealed class GenerationProgressDisplay
{
    private const int BarCells = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _output;
    private readonly ProgressStyle _style;
    private int _barLength;
    private TimeSpan? _lastDraw;
    private long _lastPercent = -1;

    /// <param name="output">Where to write (stdout).</param>
    /// <param name="style">Bar, Lines or None (Auto resolved with <see cref="TrainingProgressDisplay.ResolveStyle"/>).</param>
    public GenerationProgressDisplay(TextWriter output, ProgressStyle style)
    {
        if (style == ProgressStyle.Auto)
        {
            throw new ArgumentException("Resolve ProgressStyle.Auto before creating the display.", nameof(style));
        }
        _output = output;
        _style = style;
    }

    /// <summary>Resolves <paramref name="requested"/> against this process's stdout and environment.</summary>
    public static GenerationProgressDisplay ForConsole(ProgressStyle requested) =>
        new(Console.Out, TrainingProgressDisplay.ResolveStyle(requested, Console.IsOutputRedirected, Environment.GetEnvironmentVariable("CI")));

    /// <summary>Shows that <paramref name="done"/> of <paramref name="total"/> images are written after <paramref name="elapsed"/>.</summary>
    public void Report(long done, long total, TimeSpan elapsed)
    {
        switch (_style)
        {
            case ProgressStyle.Bar when done == total || _lastDraw is null || elapsed - _lastDraw.Value >= RedrawInterval:
                _lastDraw = elapsed;
                string line = string.Create(CultureInfo.InvariantCulture, $"{Percent(done, total),3}% [{Cells(done, total)}] {Status(done, total, elapsed)}");
                _output.Write("\r" + line.PadRight(_barLength));
                _output.Flush();
                _barLength = line.Length;
                break;
            case ProgressStyle.Lines when Percent(done, total) > _lastPercent:
                _lastPercent = Percent(done, total);
                _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_lastPercent,3}% {Status(done, total, elapsed)}"));
                _output.Flush();
                break;
        }
    }

    /// <summary>Ends the bar's line, so that what follows starts on a line of its own.</summary>
    public void Finish()
    {
        if (_barLength > 0)
        {
            _output.WriteLine();
            _barLength = 0;
        }
        _output.Flush();
    }

    /// <summary>"done/total images, rate/s, elapsed, ETA".</summary>
    public static string Status(long done, long total, TimeSpan elapsed)
    {
        double rate = done / Math.Max(elapsed.TotalSeconds, 1e-9);
        string eta = done > 0 ? TrainingProgressDisplay.Clock(TimeSpan.FromSeconds((total - done) / rate)) : "?";
        return string.Create(CultureInfo.InvariantCulture, $"{done}/{total} images {rate:F0} images/s {TrainingProgressDisplay.Clock(elapsed)} ETA {eta}");
    }

    private static long Percent(long done, long total) => total > 0 ? done * 100 / total : 100;

    private static string Cells(long done, long total)
    {
        int filled = (int)(Percent(done, total) * BarCells / 100);
        return new string('=', filled) + (filled < BarCells ? ">" + new string(' ', BarCells - filled - 1) : string.Empty);
    }
}
