using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// A weighted term a game adds to the discriminator's loss, the generator's, or both: a penalty that shapes the critic
/// (gradient penalty, GAN-QP's quadratic potential) or a second objective the players share (ACGAN's classification,
/// O-GAN's correlation). The options choose which apply (<see cref="GanTrainer.Options.Regularizers"/>); games apply
/// them all alike, so a new regularizer is one new class and no game changes.
/// </summary>
/// <remarks>Terms are built inside the loop's dispose scope, like the losses they join: keep no tensor across calls.</remarks>
internal abstract class Regularizer
{
    /// <summary>
    /// The regularizer's name in checkpoints and logs. Checkpoints record it, so it never changes with a class name.
    /// </summary>
    public abstract string Id { get; }

    /// <summary>The term added to the discriminator's loss, already weighted; null when it adds none.</summary>
    public virtual Tensor? DiscriminatorTerm(DiscriminatorPass pass) => null;

    /// <summary>The term added to the generator's loss, already weighted; null when it adds none.</summary>
    public virtual Tensor? GeneratorTerm(GeneratorPass pass) => null;
}
