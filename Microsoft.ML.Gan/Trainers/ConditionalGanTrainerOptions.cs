using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Gan.Training;

namespace Microsoft.ML.Gan;

public sealed partial class ConditionalGanTrainer
{
    /// <summary>
    /// Options for <see cref="ConditionalGanTrainer"/>: every <see cref="GanTrainer.Options"/> field (losses, regularisers,
    /// networks, schedule) plus the label column and how the discriminator is conditioned.
    /// </summary>
    public sealed class Options : GanTrainer.Options
    {
        /// <summary>
        /// The column of class labels: an ML.NET key type with a known number of values, as <c>MapValueToKey</c> or
        /// <c>LoadFromIdxFile</c> produce. Its <c>KeyValues</c> annotation (the original label values) is kept with the model,
        /// so generation can ask for a class by its original value.
        /// </summary>
        public string LabelColumnName = DefaultLabelColumnName;

        /// <summary>How the discriminator is conditioned on the label.</summary>
        public ConditioningMethod Conditioning = ConditioningMethod.Projection;

        /// <summary>
        /// Weight of the auxiliary classifier's cross-entropy in both networks' losses, used by
        /// <see cref="ConditioningMethod.AuxiliaryClassifier"/> and <see cref="ConditioningMethod.ProjectionAndAuxiliaryClassifier"/>.
        /// </summary>
        public double AuxiliaryClassifierWeight = 1;

        internal const string DefaultLabelColumnName = DefaultColumnNames.Label;

        internal bool UsesAuxiliaryClassifier => Conditioning != ConditioningMethod.Projection;

        internal override void Validate()
        {
            base.Validate();
            if (string.IsNullOrWhiteSpace(LabelColumnName))
            {
                throw new ArgumentException("LabelColumnName must name the column that holds the class labels.", nameof(LabelColumnName));
            }
            if (LabelColumnName == ImageColumnName)
            {
                throw new ArgumentException(
                    $"LabelColumnName and ImageColumnName are both '{LabelColumnName}'; the labels and the images must be different columns.",
                    nameof(LabelColumnName));
            }
            if (LabelColumnName is DefaultColumnNames.Latent or DefaultColumnNames.Image)
            {
                throw new ArgumentException(
                    $"LabelColumnName '{LabelColumnName}' is taken by the columns Generate writes (the label, Latent and Image); rename the label column.",
                    nameof(LabelColumnName));
            }
            if (!Enum.IsDefined(Conditioning))
            {
                throw new ArgumentOutOfRangeException(nameof(Conditioning), Conditioning,
                    $"Conditioning {Conditioning} is not one of: {string.Join(", ", Enum.GetNames<ConditioningMethod>())}.");
            }
            if (UsesAuxiliaryClassifier && (!(AuxiliaryClassifierWeight > 0) || double.IsInfinity(AuxiliaryClassifierWeight)))
            {
                throw new ArgumentOutOfRangeException(nameof(AuxiliaryClassifierWeight), AuxiliaryClassifierWeight,
                    $"AuxiliaryClassifierWeight must be a finite number > 0 with Conditioning {Conditioning}; got {AuxiliaryClassifierWeight}.");
            }
        }

        /// <summary>The base loss's terms, then ACGAN's classification term when the conditioning has the classifier.</summary>
        internal override IEnumerable<Regularizer> Regularizers() =>
            UsesAuxiliaryClassifier ? base.Regularizers().Append(new AuxiliaryClassification(AuxiliaryClassifierWeight)) : base.Regularizers();

        internal override IEnumerable<string> Describe() => base.Describe().Append(string.Format(CultureInfo.InvariantCulture,
            "label column '{0}', conditioning {1}{2}", LabelColumnName, Conditioning,
            UsesAuxiliaryClassifier ? $", auxiliary classifier weight {AuxiliaryClassifierWeight:g3}" : string.Empty));

        /// <summary>The base settings plus this trainer's own, all of which a resumed run must share.</summary>
        internal override IEnumerable<KeyValuePair<string, string>> ResumeSettings() =>
            base.ResumeSettings().Concat(new[] { Setting(nameof(LabelColumnName), LabelColumnName), Setting(nameof(Conditioning), Conditioning), Setting(nameof(AuxiliaryClassifierWeight), AuxiliaryClassifierWeight) });
    }
}
