using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// A class-conditional generator: (z [N, latent], class indices [N] int64) → [N, C, H, W], made of an ordinary
/// generator whose input is z concatenated with the one-hot class (Mirza and Osindero 2014).
/// </summary>
/// <remarks>
/// Concatenating the one-hot class is the same as adding a learned class embedding to the first layer's output
/// (that layer's weight columns for the one-hot part are the embedding), so no separate embedding table is needed,
/// and the Mlp and Dcgan generators are reused unchanged, with their layouts.
/// </remarks>
internal sealed class ConditionalGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    // Field name = key prefix of the saved weights ("generator.project.fc.weight", ...): keep it stable.
    private readonly nn.Module<Tensor, Tensor> generator;

    public ConditionalGenerator(nn.Module<Tensor, Tensor> generator, int classes)
        : base(nameof(ConditionalGenerator))
    {
        this.generator = generator;
        Classes = classes;
        RegisterComponents();
    }

    /// <summary>The generator of z concatenated with the one-hot class.</summary>
    public nn.Module<Tensor, Tensor> Generator => generator;

    /// <summary>The number of classes K; class indices are 0 … K − 1.</summary>
    public int Classes { get; }

    public override Tensor forward(Tensor latent, Tensor labels)
    {
        using var oneHot = nn.functional.one_hot(labels, Classes).to(latent.dtype);   // [N, K]
        using var input = cat(new[] { latent, oneHot }, 1);                           // [N, latent + K]
        return generator.call(input);                                                 // [N, C, H, W]
    }
}
