using System;
using System.IO;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// The width help text wraps to: the terminal's when standard output is one, else <see cref="Default"/> columns, so that
/// help piped to a file, a pager or a CI log still reads as lines of ordinary length.
/// </summary>
internal static class HelpWidth
{
    /// <summary>The width without a terminal: the classic 80 columns.</summary>
    public const int Default = 80;

    /// <summary>The width for this process's standard output.</summary>
    public static int ForConsole() => Choose(Console.IsOutputRedirected, () => Console.WindowWidth);

    /// <summary>The terminal's width, or <see cref="Default"/> when output is redirected or the terminal reports no width.</summary>
    /// <param name="outputRedirected">Whether standard output is a file or pipe rather than a terminal.</param>
    /// <param name="terminalWidth">Reads the terminal's width in columns.</param>
    public static int Choose(bool outputRedirected, Func<int> terminalWidth)
    {
        if (outputRedirected)
        {
            return Default;
        }
        try
        {
            int width = terminalWidth();
            return width > 0 ? width : Default;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException)
        {
            // No console attached (a service, some IDE consoles): there is no width to follow.
            return Default;
        }
    }
}
