using System;
using System.CommandLine;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>--truncation T</c>, shared by <c>gan generate</c> and <c>gan evaluate</c>: the truncation trick's threshold.</summary>
internal static class TruncationFlag
{
    public static readonly Option<double?> Option = new("--truncation")
    {
        Description = "Redraw latent values with |z| above this threshold (the truncation trick): lower gives cleaner, less varied images. Default: none.",
    };

    /// <summary>The threshold given, or null; a threshold that is not a positive number is a bad argument.</summary>
    public static double? Read(ParseResult result)
    {
        double? truncation = result.GetValue(Option);
        if (truncation is { } threshold && !(threshold > 0))
        {
            throw new ArgumentException($"--truncation must be > 0; got {threshold}.");
        }
        return truncation;
    }
}
