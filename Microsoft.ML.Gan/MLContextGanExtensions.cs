using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Gan;

/// <summary>Adds <c>mlContext.Gan()</c>.</summary>
public static class MLContextGanExtensions
{
    private static readonly ConditionalWeakTable<MLContext, GanCatalog> Catalogs = new();

    /// <summary>
    /// The GAN catalog of this context: trainers, and (by calling it) registration of the loaders
    /// <c>mlContext.Model.Load</c> needs for saved GAN models.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    public static GanCatalog Gan(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return Catalogs.GetValue(mlContext, context => new GanCatalog(context));
    }
}
