namespace Microsoft.ML.Gan;

/// <summary>
/// Training curves at one logged step: seed 003's four quantities, averaged over the generator updates since the
/// previous record.
/// </summary>
/// <param name="Step">Generator updates done so far.</param>
/// <param name="Epoch">The epoch (from 1) the step belongs to.</param>
/// <param name="DiscriminatorLoss">loss_D: the discriminator's (critic's) loss, gradient penalty included.</param>
/// <param name="GeneratorLoss">loss_G: the generator's loss.</param>
/// <param name="RealScore">D(x): for Minimax and NonSaturating the mean probability the discriminator gives real images; for the other losses the mean raw score.</param>
/// <param name="FakeScore">D(G(z)): the same for generated images.</param>
public sealed record GanTrainingRecord(int Step, int Epoch, float DiscriminatorLoss, float GeneratorLoss, float RealScore, float FakeScore);
