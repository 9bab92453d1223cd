using System;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>Checks the column names a caller gives for the columns a method writes, before any work is done.</summary>
internal static class OutputColumnNames
{
    /// <summary>Refuses a null or blank name, and two columns of the same name, naming the parameter at fault.</summary>
    /// <param name="columns">Each written column's name and the name of the parameter that gave it, in schema order.</param>
    /// <exception cref="ArgumentException">A name is null or blank, or equals an earlier one; <c>ParamName</c> is that parameter.</exception>
    public static void Check(params (string? Name, string Parameter)[] columns)
    {
        for (int i = 0; i < columns.Length; i++)
        {
            (string? name, string parameter) = columns[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException(
                    $"{parameter} must name the column it writes; it is {(name is null ? "null" : $"'{name}'")}.", parameter);
            }
            for (int earlier = 0; earlier < i; earlier++)
            {
                if (columns[earlier].Name == name)
                {
                    throw new ArgumentException(
                        $"{columns[earlier].Parameter} and {parameter} are both '{name}'; each written column needs its own name.", parameter);
                }
            }
        }
    }
}
