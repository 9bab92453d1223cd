using System;
using System.Globalization;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>Prints figures as Markdown table rows, so the output can be pasted into docs/performance.md.</summary>
internal static class Report
{
    public static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine();
    }

    public static void Header(params string[] columns)
    {
        Console.WriteLine("| " + string.Join(" | ", columns) + " |");
        Console.WriteLine("|" + string.Concat(Array.ConvertAll(columns, _ => " --- |")));
    }

    public static void Row(params object[] cells) =>
        Console.WriteLine("| " + string.Join(" | ", Array.ConvertAll(cells, Format)) + " |");

    public static void Note(string text) => Console.WriteLine(text);

    public static string Format(object value) => value switch
    {
        double d when Math.Abs(d) >= 100 => d.ToString("N0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.000", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("0.000", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
