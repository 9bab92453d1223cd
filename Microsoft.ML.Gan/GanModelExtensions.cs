using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.Gan;

/// <summary>
/// Adds <c>model.GetGanModel&lt;TModel&gt;()</c>: the GAN transformer in a loaded model, whether it was saved alone or
/// as a part of a <see cref="Microsoft.ML.Data.TransformerChain{TLastTransformer}"/>.
/// </summary>
public static class GanModelExtensions
{
    /// <summary>
    /// The <typeparamref name="TModel"/> (<see cref="GanTransformer"/>, <see cref="ConditionalGanTransformer"/>,
    /// <see cref="OGanTransformer"/>, ...) that <paramref name="model"/> is, or the first one among its parts when it is
    /// a chain (chains inside chains included). The model still owns it: disposing the part disposes the GAN's networks.
    /// </summary>
    /// <param name="model">A model, typically what <c>mlContext.Model.Load</c> or <see cref="GanCatalog.LoadModel(string, out DataViewSchema)"/> returned.</param>
    /// <exception cref="ArgumentException"><paramref name="model"/> holds no <typeparamref name="TModel"/>; the message names what it holds.</exception>
    public static TModel GetGanModel<TModel>(this ITransformer model) where TModel : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(model);
        return Find<TModel>(model)
            ?? throw new ArgumentException($"The model holds no {typeof(TModel).Name}: it holds {Describe(model)}.", nameof(model));
    }

    /// <summary>The <typeparamref name="TModel"/> that <paramref name="model"/> is or holds as a part of a chain, or null.</summary>
    internal static TModel? Find<TModel>(ITransformer model) where TModel : class, ITransformer =>
        model as TModel ?? (model as IEnumerable<ITransformer>)?.Select(Find<TModel>).FirstOrDefault(part => part is not null);

    /// <summary>What <paramref name="model"/> is, with the parts of a chain: "TransformerChain [ColumnCopyingTransformer, GanTransformer]".</summary>
    internal static string Describe(ITransformer model) => model is IEnumerable<ITransformer> chain
        ? $"{Name(model)} [{string.Join(", ", chain.Select(Describe))}]"
        : Name(model);

    // TransformerChain`1 is shown as TransformerChain.
    private static string Name(ITransformer model) => model.GetType().Name.Split('`')[0];
}
