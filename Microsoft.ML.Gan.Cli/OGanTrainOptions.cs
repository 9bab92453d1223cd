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
    private readonly Option<double?> _generatorCorrelationWeight = new("--generator-correlation-weight") { Description = "O-GAN: λ in the generator's update only (default: --correlation-weight in both)." };
    private readonly Option<double> _quadraticPotentialWeight = new("--qp-weight") { Description = "O-GAN with GanQp: weight of the quadratic potential.", DefaultValueFactory = _ => Defaults.QuadraticPotentialWeight };
    private readonly Option<bool> _scoreHead = new("--score-head") { Description = "O-GAN: score with a small head T(E(x)) instead of avg(E(x))." };

    public void AddTo(System.CommandLine.Command command)
    {
        command.Options.Add(_correlationWeight);
        command.Options.Add(_generatorCorrelationWeight);
        command.Options.Add(_quadraticPotentialWeight);
        command.Options.Add(_scoreHead);
    }

    /// <summary>O-GAN's defaults with the tool's run length and logging, then every flag the user gave.</summary>
    public OGanTrainer.Options Create(ParseResult result, OptionBinder<GanTrainer.Options> common)
    {
        GanTrainer.Options tool = GanTrainerFlags.ToolDefaults();
        var options = new OGanTrainer.Options { Epochs = tool.Epochs, LogEveryNSteps = tool.LogEveryNSteps, Seed = tool.Seed };
        common.ApplyGiven(result, options);
        options.CorrelationWeight = result.GetValue(_correlationWeight);
        options.GeneratorCorrelationWeight = result.GetValue(_generatorCorrelationWeight);
        options.QuadraticPotentialWeight = result.GetValue(_quadraticPotentialWeight);
        options.UseScoreHead = result.GetValue(_scoreHead);
        return options;
    }
}
