using System;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>The <c>--name value</c> and <c>--flag</c> arguments of every benchmark.</summary>
internal static class BenchmarkArguments
{
    /// <summary>The value after <paramref name="name"/>, or null when it is not given.</summary>
    public static string? String(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    public static string String(string[] args, string name, string fallback) => String(args, name) ?? fallback;

    /// <summary>Whether the flag <paramref name="name"/> (an argument without a value) is given.</summary>
    public static bool Flag(string[] args, string name) => Array.IndexOf(args, name) >= 0;

    public static int Int(string[] args, string name, int fallback) =>
        String(args, name) is string value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static double Double(string[] args, string name, double fallback) =>
        String(args, name) is string value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The comma-separated whole numbers given for <paramref name="name"/>, or those of <paramref name="fallback"/>; empty entries are skipped.</summary>
    public static int[] Ints(string[] args, string name, string fallback) =>
        String(args, name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
