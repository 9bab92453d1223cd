using System;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// A class-conditional discriminator: (images [N, C, H, W], class indices [N] int64) → realness scores [N], made of an
/// ordinary discriminator whose last linear layer has extra outputs: [score, projection 1…K, class logits 1…K] (each
/// class block only when its method is used).
/// </summary>
/// <remarks>
/// Projection (Miyato and Koyama 2018): score + ⟨e(y), φ(x)⟩. With the last layer's rows Wᵢ, output 1 + y is
/// ⟨W₁₊ᵧ, φ(x)⟩ + b₁₊ᵧ, so picking that output is the projection with embedding e(y) = W₁₊ᵧ (plus a class bias).
/// ACGAN (Odena et al. 2017): the class block is the auxiliary classifier's logits. Both share the features φ(x), and
/// spectral normalization, when on, normalises the whole last layer, embedding included, as in the projection paper.
/// </remarks>
internal sealed class ConditionalDiscriminator : nn.Module<Tensor, Tensor, Tensor>
{
    // Field name = key prefix of the saved weights ("discriminator.features.conv1.weight", ...): keep it stable.
    private readonly nn.Module<Tensor, Tensor> discriminator;

    public ConditionalDiscriminator(nn.Module<Tensor, Tensor> discriminator, int classes, ConditioningMethod method)
        : base(nameof(ConditionalDiscriminator))
    {
        this.discriminator = discriminator;
        Classes = classes;
        Method = method;
        RegisterComponents();
    }

    /// <summary>The image-only discriminator φ(x) and its last layer; the class input enters only after it.</summary>
    public nn.Module<Tensor, Tensor> Unconditional => discriminator;

    /// <summary>The number of classes K.</summary>
    public int Classes { get; }

    /// <summary>Which output blocks the last layer has and how they are used.</summary>
    public ConditioningMethod Method { get; }

    /// <summary>The width of the inner discriminator's output for <paramref name="classes"/> classes under <paramref name="method"/>.</summary>
    public static int OutputsFor(int classes, ConditioningMethod method) => method switch
    {
        ConditioningMethod.Projection or ConditioningMethod.AuxiliaryClassifier => 1 + classes,
        ConditioningMethod.ProjectionAndAuxiliaryClassifier => 1 + 2 * classes,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown conditioning method."),
    };

    private bool HasProjection => Method != ConditioningMethod.AuxiliaryClassifier;

    private bool HasClassifier => Method != ConditioningMethod.Projection;

    /// <summary>The realness score [N] for images of the given classes, and the auxiliary classifier's logits [N, K] (null without one).</summary>
    public (Tensor Score, Tensor? ClassLogits) Evaluate(Tensor images, Tensor labels)
    {
        using var outputs = discriminator.call(images);                                  // [N, outputs]
        Tensor score = outputs.select(1, 0);                                              // [N]
        if (HasProjection)
        {
            using var projections = outputs.narrow(1, 1, Classes);                        // [N, K]
            using var index = labels.unsqueeze(1);                                        // [N, 1]
            using var gathered = projections.gather(1, index);                           // [N, 1]: output 1 + y
            using var picked = gathered.squeeze(1);                                       // [N]
            using var unconditional = score;
            score = unconditional.Plus(picked);
        }
        Tensor? logits = HasClassifier ? outputs.narrow(1, HasProjection ? 1 + Classes : 1, Classes) : null; // [N, K]
        return (score, logits);
    }

    public override Tensor forward(Tensor images, Tensor labels)
    {
        (Tensor score, Tensor? logits) = Evaluate(images, labels);
        logits?.Dispose();
        return score;
    }
}
