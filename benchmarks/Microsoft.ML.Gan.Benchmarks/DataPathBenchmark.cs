using System.Collections.Generic;
using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// Fit's data path: reading the whole image column into one tensor (ImageColumnReader.ReadAll), against only walking
/// the IDataView's cursor and fetching every vector (the floor any reader pays), interleaved.
/// </summary>
internal static class DataPathBenchmark
{
    public static void Run(TrainingData data, BenchmarkSettings settings)
    {
        Report.Section("Data path: image column → one [N, 1, 28, 28] tensor (median)");
        Report.Header("images", "ReadAll s", "cursor only s", "ReadAll images/s", "ReadAll / cursor-only time");
        var readAll = new List<double>();
        var cursorOnly = new List<double>();
        for (int r = 0; r < settings.Repeats; r++)
        {
            cursorOnly.Add(CursorOnly(data.View));
            var started = Stopwatch.StartNew();
            using (ImageColumnReader.Create(data.View.Schema, "Image", grayscale: true).ReadAll(data.View))
            {
                readAll.Add(started.Elapsed.TotalSeconds);
            }
        }

        double all = Measurements.Median(readAll), cursor = Measurements.Median(cursorOnly);
        Report.Row(data.Count, all, cursor, data.Count / all, all / cursor);
    }

    private static double CursorOnly(IDataView view)
    {
        var started = Stopwatch.StartNew();
        DataViewSchema.Column column = view.Schema["Image"];
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { column });
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
        }

        return started.Elapsed.TotalSeconds;
    }
}
