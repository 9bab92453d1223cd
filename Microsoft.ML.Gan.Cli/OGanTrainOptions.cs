using System.CommandLine;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// The flags <c>gan train --trainer ogan</c> adds, and the O-GAN options they make. Flags shared with the plain GAN
/// keep O-GAN's own defaults (GAN-QP, latent 128, Adam 1e-4 with β = (0, 0.99)) unless given on the command line.
/// </summary>
internal sealed class OGanTrainOptions
{
    private static readonly OGanTrainer.Options Defaults = new();

    private readonly Option<double> _correlationWeight = new("--correlation-weight") { Description = "O-GAN: λ, the weight of ρ(z, E(G(z))).", DefaultValueFactory = _ => Defaults.CorrelationWeight };
    private readonly Option<double> _quadraticPotentialWeight = new("--qp-weight") { Description = "O-GAN with GanQp: weight of the quadratic potential.", DefaultValueFactory = _ => Defaults.QuadraticPotentialWeight };
    private readonly Option<bool> _scoreHead = new("--score-head") { Description = "O-GAN: score with a small head T(E(x)) instead of avg(E(x))." };

    public void AddTo(System.CommandLine.Command command)
    {
        command.Options.Add(_correlationWeight);
        command.Options.Add(_quadraticPotentialWeight);
        command.Options.Add(_scoreHead);
    }

    public OGanTrainer.Options Create(ParseResult result, GanTrainer.Options given, Option<GanLoss> loss, Option<int> latent,
        Option<double> generatorLr, Option<double> discriminatorLr, Option<double> beta1, Option<double> beta2) => new()
    {
        ImageColumnName = given.ImageColumnName,
        Grayscale = given.Grayscale,
        Architecture = given.Architecture,
        Loss = Given(result, loss) ? given.Loss : Defaults.Loss,
        LatentDimension = Given(result, latent) ? given.LatentDimension : Defaults.LatentDimension,
        GeneratorLearningRate = Given(result, generatorLr) ? given.GeneratorLearningRate : Defaults.GeneratorLearningRate,
        DiscriminatorLearningRate = Given(result, discriminatorLr) ? given.DiscriminatorLearningRate : Defaults.DiscriminatorLearningRate,
        Beta1 = Given(result, beta1) ? given.Beta1 : Defaults.Beta1,
        Beta2 = Given(result, beta2) ? given.Beta2 : Defaults.Beta2,
        Epochs = given.Epochs,
        MaxSteps = given.MaxSteps,
        BatchSize = given.BatchSize,
        DiscriminatorSteps = given.DiscriminatorSteps,
        GradientPenaltyWeight = given.GradientPenaltyWeight,
        WeightClip = given.WeightClip,
        SpectralNormalization = given.SpectralNormalization,
        LogEveryNSteps = given.LogEveryNSteps,
        Seed = given.Seed,
        CorrelationWeight = result.GetValue(_correlationWeight),
        QuadraticPotentialWeight = result.GetValue(_quadraticPotentialWeight),
        UseScoreHead = result.GetValue(_scoreHead),
    };

    private static bool Given<T>(ParseResult result, Option<T> option) => result.GetResult(option) is { Implicit: false };
}
