using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// Everything <c>gan train</c> prints while it trains, in one of the <see cref="ProgressStyle"/>s: a bar redrawn in
/// place, or one line per log point. Other messages go through <see cref="WriteLine"/>, which keeps them clear of the bar.
/// </summary>
internal sealed class TrainingProgressDisplay
{
    private const int MaxBarCells = 24, MinBarCells = 5;

    // Redrawing faster than a person reads costs console time on fast (GPU) runs.
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _output;
    private readonly Func<int> _width;
    private int _barLength;
    private TimeSpan? _lastDraw;
    private int _lastLoggedStep;

    /// <param name="output">Where to write (stdout).</param>
    /// <param name="style">Bar, Lines or None (resolve Auto first with <see cref="ResolveStyle(ProgressStyle, bool, string?)"/>).</param>
    /// <param name="width">The terminal width, read at each redraw so that a resized window is followed.</param>
    public TrainingProgressDisplay(TextWriter output, ProgressStyle style, Func<int> width)
    {
        if (style == ProgressStyle.Auto)
        {
            throw new ArgumentException("Resolve ProgressStyle.Auto before creating the display.", nameof(style));
        }
        _output = output;
        Style = style;
        _width = width;
    }

    /// <summary>The style in use.</summary>
    public ProgressStyle Style { get; }

    /// <summary>The style to use: <paramref name="requested"/> unless it is Auto.</summary>
    /// <param name="requested">The --progress value.</param>
    /// <param name="outputRedirected">Whether stdout goes to a file or pipe rather than a terminal.</param>
    /// <param name="ciVariable">The CI environment variable, which CI services set (mostly to "true").</param>
    public static ProgressStyle ResolveStyle(ProgressStyle requested, bool outputRedirected, string? ciVariable)
    {
        if (requested != ProgressStyle.Auto)
        {
            return requested;
        }
        string ci = ciVariable?.Trim() ?? string.Empty;
        bool onCi = ci.Length > 0 && ci != "0" && !ci.Equals("false", StringComparison.OrdinalIgnoreCase);
        return outputRedirected || onCi ? ProgressStyle.Lines : ProgressStyle.Bar;
    }

    /// <summary>Resolves against this process's stdout and environment.</summary>
    public static TrainingProgressDisplay ForConsole(ProgressStyle requested) =>
        new(Console.Out, ResolveStyle(requested, Console.IsOutputRedirected, Environment.GetEnvironmentVariable("CI")), ConsoleWidth);

    /// <summary>Shows where training stands: redraws the bar, or prints a line when a new log record has arrived.</summary>
    public void Report(GanTrainingProgress progress)
    {
        switch (Style)
        {
            case ProgressStyle.Bar:
                bool last = progress.Step == progress.TotalSteps || progress.IsEpochEnd;
                if (last || _lastDraw is null || progress.Elapsed - _lastDraw.Value >= RedrawInterval)
                {
                    DrawBar(progress);
                    _lastDraw = progress.Elapsed;
                }
                break;
            case ProgressStyle.Lines:
                if (progress.LatestRecord is { } record && record.Step > _lastLoggedStep)
                {
                    _lastLoggedStep = record.Step;
                    _output.WriteLine(Status(progress));
                }
                break;
        }
    }

    /// <summary>Prints a line that stays: the bar is cleared first and redrawn at the next report.</summary>
    public void WriteLine(string line)
    {
        ClearBar();
        _output.WriteLine(line);
    }

    /// <summary>Ends the bar's line so that the bar stays on screen above what follows.</summary>
    public void Finish()
    {
        if (_barLength > 0)
        {
            _output.WriteLine();
            _barLength = 0;
        }
        _output.Flush();
    }

    /// <summary>step/total, epoch, elapsed, ETA and, once logged, loss_D, loss_G, D(x) and D(G(z)).</summary>
    /// <param name="progress">The report.</param>
    /// <param name="decimals">Decimals of the four figures.</param>
    public static string Status(GanTrainingProgress progress, int decimals = 4)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"step {progress.Step}/{progress.TotalSteps} epoch {progress.Epoch}/{progress.Epochs} ");
        text.Append(CultureInfo.InvariantCulture, $"{Clock(progress.Elapsed)} ETA {Eta(progress)}");
        if (progress.LatestRecord is { } r)
        {
            string f = "F" + decimals.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"  loss_D {r.DiscriminatorLoss.ToString(f, CultureInfo.InvariantCulture)}")
                .Append(CultureInfo.InvariantCulture, $" loss_G {r.GeneratorLoss.ToString(f, CultureInfo.InvariantCulture)}")
                .Append(CultureInfo.InvariantCulture, $" D(x) {r.RealScore.ToString(f, CultureInfo.InvariantCulture)}")
                .Append(CultureInfo.InvariantCulture, $" D(G(z)) {r.FakeScore.ToString(f, CultureInfo.InvariantCulture)}");
        }
        return text.ToString();
    }

    /// <summary>The remaining time at the average pace so far, or "?" before the first step.</summary>
    public static string Eta(GanTrainingProgress progress)
    {
        if (progress.Step <= 0)
        {
            return "?";
        }
        double perStep = progress.Elapsed.TotalSeconds / progress.Step;
        return Clock(TimeSpan.FromSeconds(perStep * (progress.TotalSteps - progress.Step)));
    }

    /// <summary>m:ss, or h:mm:ss from an hour on.</summary>
    public static string Clock(TimeSpan time) => time.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours}:{time.Minutes:D2}:{time.Seconds:D2}")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes}:{time.Seconds:D2}");

    private void DrawBar(GanTrainingProgress progress)
    {
        double done = progress.TotalSteps > 0 ? (double)progress.Step / progress.TotalSteps : 0;
        string status = Status(progress, decimals: 3);
        int width = Math.Max(20, _width() - 1);
        // The figures matter more than the drawing: on a narrow terminal the bar shrinks first, then the line is cut.
        int cells = Math.Min(MaxBarCells, width - status.Length - 8);
        string bar = cells >= MinBarCells ? "[" + Cells(done, cells) + "] " : string.Empty;
        string line = string.Create(CultureInfo.InvariantCulture, $"{done * 100,3:F0}% {bar}{status}");
        if (line.Length > width)
        {
            line = line[..width];
        }
        // Pad over the previous, possibly longer, line instead of relying on terminal escape codes.
        _output.Write("\r" + line.PadRight(_barLength));
        _output.Flush();
        _barLength = line.Length;
    }

    private static string Cells(double done, int cells)
    {
        int filled = (int)Math.Round(done * cells);
        return new string('=', filled) + (filled < cells ? ">" + new string(' ', cells - filled - 1) : string.Empty);
    }

    private void ClearBar()
    {
        if (_barLength > 0)
        {
            _output.Write("\r" + new string(' ', _barLength) + "\r");
            _barLength = 0;
        }
    }

    private static int ConsoleWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return 120;
        }
    }
}
