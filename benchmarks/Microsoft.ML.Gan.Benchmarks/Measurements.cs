using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>Small statistics and process readings.</summary>
internal static class Measurements
{
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>"mean ± sample standard deviation", whole numbers from 100 up and three decimals below.</summary>
    public static string MeanAndSpread(IEnumerable<double> values)
    {
        double[] v = values.ToArray();
        double mean = v.Average();
        double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        string format = Math.Abs(mean) >= 100 ? "0" : "0.000";
        return mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture) + " ± " + sd.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Resident set size from /proc/self/status (VmRSS), in bytes; the working set elsewhere.</summary>
    public static long ResidentBytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (string line in File.ReadLines(status))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    string kilobytes = line.Substring(6).Trim().Split(' ')[0];
                    return long.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        return Environment.WorkingSet;
    }

    /// <summary>Collects garbage (and runs finalizers, which free tensors and images) so that readings compare like with like.</summary>
    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
