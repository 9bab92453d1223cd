using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>A network's structure as strings the layer-by-layer network tests compare with what the docs describe.</summary>
internal static class ModuleLayout
{
    /// <summary>Leaf layers depth-first, as "path:Type" (named_modules() lists a level's children before their descendants).</summary>
    public static string[] Layers(torch.nn.Module module)
    {
        var layers = new List<string>();
        void Visit(torch.nn.Module parent, string prefix)
        {
            foreach (var (name, child) in parent.named_children())
            {
                if (child.children().Any())
                {
                    Visit(child, prefix + name + ".");
                }
                else
                {
                    layers.Add($"{prefix}{name}:{child.GetType().Name}");
                }
            }
        }

        Visit(module, string.Empty);
        return layers.ToArray();
    }

    /// <summary>Every parameter as "path [shape]", in registration order.</summary>
    public static string[] Shapes(torch.nn.Module module)
        => module.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]").ToArray();
}
