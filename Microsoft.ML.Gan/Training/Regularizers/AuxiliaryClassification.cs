using System;
using Microsoft.ML.Gan.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// ACGAN's classification term (Odena et al. 2017), weighted: the critic learns to classify both real and generated
/// images by their class (cross-entropy of its auxiliary logits on each), and the generator learns to make its images
/// classified as the class it was asked for.
/// </summary>
internal sealed class AuxiliaryClassification : Regularizer
{
    private readonly double _weight;

    /// <param name="weight">The term's weight (the conditional option <c>AuxiliaryClassifierWeight</c>).</param>
    public AuxiliaryClassification(double weight) => _weight = weight;

    public override string Id => "auxiliary-classification";

    public override Tensor DiscriminatorTerm(DiscriminatorPass pass)
    {
        Tensor labels = Labels(pass.Batch);
        Tensor classification = nn.functional.cross_entropy(Logits(pass.Real), labels)
            .Plus(nn.functional.cross_entropy(Logits(pass.Fake), labels));
        return classification.Times(_weight);
    }

    public override Tensor GeneratorTerm(GeneratorPass pass) =>
        nn.functional.cross_entropy(Logits(pass.Fake), Labels(pass.Batch)).Times(_weight);

    private static Tensor Labels(TrainingBatch batch) =>
        batch.Labels ?? throw new InvalidOperationException("Auxiliary classification needs labelled batches (a conditional game).");

    private static Tensor Logits(CriticJudgement judgement) =>
        judgement.ClassLogits ?? throw new InvalidOperationException("Auxiliary classification needs a critic with a classifier head.");
}
