namespace Microsoft.ML.Gan.Cli;

/// <summary>How <c>gan train</c> shows progress (<c>--progress</c>).</summary>
internal enum ProgressStyle
{
    /// <summary>A bar on a terminal; lines when stdout is redirected or the CI environment variable is set.</summary>
    Auto,

    /// <summary>One line redrawn in place (carriage return), for a terminal.</summary>
    Bar,

    /// <summary>One line per log point and per epoch, no animation: for logs, pipes and CI.</summary>
    Lines,

    /// <summary>No progress output; messages, epoch grids and the final summary only.</summary>
    None,
}
