using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// WGAN (Arjovsky et al. 2017): the critic D maximises mean(real) − mean(fake), an estimate of the Wasserstein-1
/// distance when D is 1-Lipschitz. D minimises mean(fake) − mean(real); G minimises −mean(fake).
/// Also the score terms of WGAN-GP (Gulrajani et al. 2017) and GAN-QP, whose critic terms are regularizers
/// (<see cref="GradientPenalty"/>, <see cref="QuadraticPotential"/>).
/// </summary>
internal sealed class WassersteinLoss : AdversarialLoss
{
    public override Tensor DiscriminatorLoss(Tensor realScores, Tensor fakeScores)
    {
        using var fakeMean = fakeScores.mean();
        using var realMean = realScores.mean();
        return fakeMean - realMean;
    }

    public override Tensor GeneratorLoss(Tensor fakeScores)
    {
        using var mean = fakeScores.mean();
        return mean.neg();
    }
}
