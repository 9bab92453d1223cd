using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Gan.Training;

namespace Microsoft.ML.Gan;

public sealed partial class OGanTrainer
{
    /// <summary>
    /// Options for <see cref="OGanTrainer"/>: every option of <see cref="GanTrainer.Options"/> plus O-GAN's own. The
    /// defaults follow the paper (arXiv 1903.01931) and its official code (bojone/o-gan); docs/o-gan.md lists where each
    /// comes from.
    /// </summary>
    public sealed class Options : GanTrainer.Options
    {
        /// <summary>
        /// O-GAN's defaults: GAN-QP with potential weight 0.25, λ = 0.5, and Adam with β1 = 0, β2 = 0.99 and learning rate
        /// 1e-4 for both networks — the official code's RMSprop(1e-4, ρ = 0.99) with bias correction.
        /// </summary>
        public Options()
        {
            Loss = GanLoss.GanQp;
            LatentDimension = OGanDefaults.LatentDimension;
            GeneratorLearningRate = 1e-4;
            DiscriminatorLearningRate = 1e-4;
            Beta1 = 0;
            Beta2 = 0.99;
        }

        /// <summary>
        /// λ: the weight of ρ(z, E(G(z))), the Pearson correlation between a latent vector and the encoding of its
        /// image, which both networks maximise. 0 trains a plain GAN on the same networks, whose encoder learns nothing useful.
        /// The default 0.5 is the paper's, for 128-px images; for 28×28 images, LatentDimension = 256 with λ = 14 reached
        /// ρ 0.90 in 4,000 steps where the defaults stayed near 0.6 (docs/o-gan.md).
        /// </summary>
        public double CorrelationWeight = OGanDefaults.CorrelationWeight;

        /// <summary>
        /// λ in the generator's update only; null (the default) uses <see cref="CorrelationWeight"/> in both updates, as the
        /// paper does. The critic's update always uses <see cref="CorrelationWeight"/>, so a smaller value here keeps E
        /// learning to invert G while G's own objective stays closer to the plain GAN's (docs/o-gan.md measures what it
        /// buys in samples). Must be a finite number ≥ 0.
        /// </summary>
        public double? GeneratorCorrelationWeight;

        /// <summary>
        /// The weight of GAN-QP's quadratic potential (D(x) − D(G(z)))² / ‖x − G(z)‖² (distance averaged over pixels) in the
        /// critic's loss; used by <see cref="GanLoss.GanQp"/>.
        /// </summary>
        public double QuadraticPotentialWeight = 0.25;

        /// <summary>
        /// Score images with a small trained head, D(x) = T(E(x)) (the paper's first form), instead of D(x) = avg(E(x))
        /// (its final form, which leaves no part of the discriminator unused).
        /// </summary>
        public bool UseScoreHead;

        /// <summary>The column the fitted transformer's <c>Transform</c> (and its encoder's) adds with the code E(x).</summary>
        public string LatentColumnName = OGanDefaults.LatentColumnName;

        internal static class OGanDefaults
        {
            public const int LatentDimension = 128;
            public const double CorrelationWeight = 0.5;
            public const string LatentColumnName = DefaultColumnNames.Latent;
        }

        internal override bool SupportsQuadraticPotential => true;

        /// <summary>GAN-QP's potential with <see cref="GanLoss.GanQp"/> (or the base loss's terms), then the correlation term unless λ = 0.</summary>
        internal override IEnumerable<Regularizer> Regularizers()
        {
            foreach (Regularizer regularizer in base.Regularizers())
            {
                yield return regularizer;
            }
            if (Loss == GanLoss.GanQp)
            {
                yield return new QuadraticPotential(QuadraticPotentialWeight);
            }
            // λ = 0 in both updates is the plain GAN on the same networks, at the plain GAN's cost.
            double generatorWeight = GeneratorCorrelationWeight ?? CorrelationWeight;
            if (CorrelationWeight > 0 || generatorWeight > 0)
            {
                yield return new LatentCorrelationTerm(CorrelationWeight, generatorWeight);
            }
        }

        internal override void Validate()
        {
            base.Validate();
            if (string.IsNullOrWhiteSpace(LatentColumnName) || LatentColumnName == ScoreColumnName)
            {
                throw new ArgumentException(
                    $"LatentColumnName must name the column Transform adds with the code, other than ScoreColumnName ('{ScoreColumnName}'); it is '{LatentColumnName}'.",
                    nameof(LatentColumnName));
            }
            if (!(CorrelationWeight >= 0) || double.IsInfinity(CorrelationWeight))
            {
                throw new ArgumentOutOfRangeException(nameof(CorrelationWeight), CorrelationWeight, "CorrelationWeight must be a finite number ≥ 0.");
            }
            if (GeneratorCorrelationWeight is double generatorWeight && (!(generatorWeight >= 0) || double.IsInfinity(generatorWeight)))
            {
                throw new ArgumentOutOfRangeException(nameof(GeneratorCorrelationWeight), generatorWeight,
                    "GeneratorCorrelationWeight must be a finite number ≥ 0, or null to use CorrelationWeight in both updates.");
            }
            if (Loss == GanLoss.GanQp && (!(QuadraticPotentialWeight > 0) || double.IsInfinity(QuadraticPotentialWeight)))
            {
                throw new ArgumentOutOfRangeException(nameof(QuadraticPotentialWeight), QuadraticPotentialWeight,
                    "QuadraticPotentialWeight must be a finite number > 0: without the potential, GAN-QP's critic is unbounded.");
            }
            if (LatentDimension < 3)
            {
                throw new ArgumentOutOfRangeException(nameof(LatentDimension), LatentDimension,
                    "O-GAN needs LatentDimension ≥ 3: the code's mean and spread go to the critic, the rest to the correlation.");
            }
        }

        internal override IEnumerable<string> Describe()
        {
            foreach (string line in base.Describe())
            {
                yield return line;
            }
            yield return string.Format(CultureInfo.InvariantCulture, "O-GAN: correlation weight {0}{1}, score {2}{3}",
                CorrelationWeight,
                GeneratorCorrelationWeight is double generatorWeight ? string.Format(CultureInfo.InvariantCulture, " (generator's update {0})", generatorWeight) : string.Empty,
                UseScoreHead ? "T(E(x)) head" : "avg(E(x))",
                Loss == GanLoss.GanQp ? string.Format(CultureInfo.InvariantCulture, ", quadratic potential weight {0}", QuadraticPotentialWeight) : string.Empty);
        }

        /// <summary>The base settings plus this trainer's own, all of which a resumed run must share.</summary>
        internal override IEnumerable<KeyValuePair<string, string>> ResumeSettings() =>
            base.ResumeSettings().Concat(new[] { Setting(nameof(CorrelationWeight), CorrelationWeight), Setting(nameof(GeneratorCorrelationWeight), GeneratorCorrelationWeight), Setting(nameof(QuadraticPotentialWeight), QuadraticPotentialWeight), Setting(nameof(UseScoreHead), UseScoreHead) });
    }
}
