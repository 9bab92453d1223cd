using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>The original GAN game and its descendants: G maps z to an image, D scores an image.</summary>
internal sealed class UnconditionalGame : AdversarialGame
{
    private readonly nn.Module<Tensor, Tensor> _generator;
    private readonly nn.Module<Tensor, Tensor> _discriminator;

    public UnconditionalGame(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, AdversarialLoss loss,
        IReadOnlyList<Regularizer> regularizers, int latentDimension, DifferentiableAugmentation? augmentation)
        : base(loss, regularizers, latentDimension, augmentation)
    {
        _generator = generator;
        _discriminator = discriminator;
    }

    public override string Id => "UnconditionalGame";

    public override nn.Module Generator => _generator;

    public override nn.Module Discriminator => _discriminator;

    protected override Tensor Generate(Tensor latents, Tensor? labels) => _generator.call(latents);

    protected override CriticJudgement Judge(Tensor images, Tensor? labels) => new(_discriminator.call(images).view(-1));
}
