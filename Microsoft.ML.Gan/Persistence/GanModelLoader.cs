using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// The loader ML.NET calls for every model saved under <see cref="MlNetBridge.LoaderSignature"/>.
/// </summary>
/// <remarks>
/// ML.NET looks for a static <c>Create(IHostEnvironment, ModelLoadContext)</c> returning exactly the registered
/// instance type. <c>ModelLoadContext</c> is internal to ML.NET and cannot be named here, so
/// <see cref="MlNetBridge"/> closes this type over it at run time; everything else happens in the bridge.
/// </remarks>
/// <typeparam name="TLoadContext">ML.NET's internal <c>Microsoft.ML.ModelLoadContext</c>.</typeparam>
internal static class GanModelLoader<TLoadContext>
    where TLoadContext : class
{
    // Found by ML.NET's ComponentCatalog through reflection; keep the name, the parameters and the return type.
    internal static ITransformer Create(IHostEnvironment env, TLoadContext ctx) => MlNetBridge.LoadModel(env, ctx);
}
