using Microsoft.ML.Transforms;

namespace Microsoft.ML.Gan.Persistence;

// Turns "Couldn't load model: 'TransformerChain'" into a message that names the fix.
//
// Models saved by this library name the library's assembly in their header (VersionInfo.LoaderAssemblyName).
// Before looking for a loader, ML.NET's Model.Load calls ComponentCatalog.RegisterAssembly on the assembly it
// names. When MlNetBridge.RegisterLoaders has run on that MLContext, the catalog already knows the assembly's
// FullName and does nothing. When it has not, the catalog scans the library's types for CustomMapping
// extensions, finds two classes with the same contract below, and throws
//   InvalidOperationException: An extension for 'CustomMappingFactoryAttributeAttribute' with contract
//   '<MlNetBridge.UnregisteredLoadersMessage>' has already been registered in the ComponentCatalog.
// so the message a user sees contains the instruction. MlNetBridge.ExplainLoadFailure recognises it.
//
// Side effect: ComponentCatalog.RegisterAssembly(<this library's assembly>) throws that message on a catalog
// where RegisterLoaders has not run (ML.NET's legacy MAML/Sweeper tools call it for every loaded assembly).
// These classes are never instantiated; nothing else reads their attributes.

[CustomMappingFactoryAttribute(MlNetBridge.UnregisteredLoadersMessage)]
internal static class UnregisteredLoadersSentinel
{
}

[CustomMappingFactoryAttribute(MlNetBridge.UnregisteredLoadersMessage)]
internal static class UnregisteredLoadersSentinelTwin
{
}
