using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The class-conditional GAN game: G(z, y) draws an image of class y, D(x, y) judges whether x is a real image of
/// class y (projection), and/or D also classifies x (ACGAN, whose term is <see cref="AuxiliaryClassification"/>).
/// </summary>
/// <remarks>
/// Fakes are drawn for the labels of the real batch, so the classes G practises follow the training label distribution.
/// </remarks>
internal sealed class ConditionalGame : AdversarialGame
{
    private readonly ConditionalGenerator _generator;
    private readonly ConditionalDiscriminator _discriminator;

    public ConditionalGame(ConditionalGenerator generator, ConditionalDiscriminator discriminator, AdversarialLoss loss,
        IReadOnlyList<Regularizer> regularizers, int latentDimension, DifferentiableAugmentation? augmentation)
        : base(loss, regularizers, latentDimension, augmentation)
    {
        _generator = generator;
        _discriminator = discriminator;
    }

    public override string Id => "ConditionalGame";

    public override nn.Module Generator => _generator;

    public override nn.Module Discriminator => _discriminator;

    // Previews cycle through the classes: sample i shows class i mod K.
    protected override Tensor PreviewLabels(Tensor latents)
    {
        long[] cycle = Enumerable.Range(0, (int)latents.shape[0]).Select(i => (long)(i % _generator.Classes)).ToArray();
        return tensor(cycle, device: latents.device);
    }

    protected override Tensor Generate(Tensor latents, Tensor? labels) => _generator.call(latents, RequireLabels(labels));

    protected override CriticJudgement Judge(Tensor images, Tensor? labels)
    {
        (Tensor scores, Tensor? logits) = _discriminator.Evaluate(images, RequireLabels(labels));
        return new CriticJudgement(scores, ClassLogits: logits);
    }

    private static Tensor RequireLabels(Tensor? labels) =>
        labels ?? throw new InvalidOperationException("A conditional game needs labelled batches.");
}
