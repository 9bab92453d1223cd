namespace Microsoft.ML.Gan;

/// <summary>How the discriminator of a <see cref="ConditionalGanTrainer"/> uses the class label. See docs/conditional.md.</summary>
public enum ConditioningMethod
{
    /// <summary>
    /// Projection discriminator (Miyato and Koyama 2018): the score is ψ(φ(x)) + ⟨e(y), φ(x)⟩, a learned class embedding
    /// e(y) projected on the image features φ(x), so the discriminator judges realism and the match with y in one number.
    /// </summary>
    Projection,

    /// <summary>
    /// ACGAN (Odena et al. 2017): the discriminator also predicts the class; both networks add
    /// <see cref="ConditionalGanTrainer.Options.AuxiliaryClassifierWeight"/> × the cross-entropy of that prediction with y.
    /// </summary>
    AuxiliaryClassifier,

    /// <summary>Both: a projection score and an auxiliary classifier, on the same features.</summary>
    ProjectionAndAuxiliaryClassifier,
}
