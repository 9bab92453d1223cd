namespace Microsoft.ML.Gan;

/// <summary>
/// What training does when it goes wrong while every number stays finite: see <see cref="GanTrainer.Options.FiniteDivergence"/>
/// and docs/checkpoints.md. NaN and infinity are always an error.
/// </summary>
public enum FiniteDivergenceHandling
{
    /// <summary>
    /// Treat it as a divergence, exactly like NaN: roll back when <see cref="GanTrainer.Options.DivergenceRollbacks"/>
    /// allows, otherwise stop with <see cref="GanTrainingDivergedException"/>. The default.
    /// </summary>
    Error,

    /// <summary>Write a warning to <c>MLContext.Log</c> when a symptom appears, and train on.</summary>
    Warning,

    /// <summary>Check for NaN and infinity only.</summary>
    Ignore,
}
