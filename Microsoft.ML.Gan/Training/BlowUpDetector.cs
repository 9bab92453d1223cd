using System;
using System.Globalization;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The finite symptoms of a diverged run, judged at log points and checkpoints: a loss far outside what its kind reaches,
/// weights grown by orders of magnitude from their initial norm, and a discriminator that has won outright
/// (D(x) ≈ 1 and D(G(z)) ≈ 0) for a long stretch. Each limit lies orders of magnitude beyond what healthy runs reach:
/// docs/checkpoints.md gives the measurements.
/// </summary>
internal sealed class BlowUpDetector
{
    /// <summary>A network's weight norm over its initial norm beyond which it has blown up.</summary>
    public const double WeightGrowthLimit = 1e3;

    /// <summary>Saturated: D(x) ≥ 1 − this and D(G(z)) ≤ this, averaged over a log point's updates.</summary>
    public const double SaturationTolerance = 1e-2;

    /// <summary>Generator updates a saturated stretch must last to count as divergence.</summary>
    public const int SaturatedUpdates = 500;

    /// <summary>Consecutive saturated log points a stretch needs besides, so one long, coarse log point is not enough.</summary>
    public const int SaturatedLogPoints = 3;

    private readonly GanLoss _loss;
    private int _saturatedFrom;
    private int _saturatedUpdates;
    private int _saturatedLogPoints;

    public BlowUpDetector(GanLoss loss) => _loss = loss;

    /// <summary>
    /// The largest |loss_D| or |loss_G| of a log point for <paramref name="loss"/>. The logit losses are about as large as
    /// the logit of a confident mistake; the critics' raw scores (Wasserstein, GAN-QP) drift freely, so they get more room.
    /// </summary>
    public static double LossLimit(GanLoss loss) => loss switch
    {
        GanLoss.Wasserstein or GanLoss.WassersteinGradientPenalty or GanLoss.GanQp => 1e5,
        _ => 1e3,
    };

    /// <summary>Describes the first loss of <paramref name="record"/> beyond <see cref="LossLimit"/>, or returns null.</summary>
    public string? CheckLosses(GanTrainingRecord record)
    {
        double limit = LossLimit(_loss);
        return Math.Abs(record.DiscriminatorLoss) > limit ? Beyond("loss_D", record.DiscriminatorLoss, limit)
            : Math.Abs(record.GeneratorLoss) > limit ? Beyond("loss_G", record.GeneratorLoss, limit)
            : null;
    }

    /// <summary>Describes weights grown beyond <see cref="WeightGrowthLimit"/> times their initial norm, or returns null.</summary>
    public static string? CheckWeightGrowth(string network, double norm, double initialNorm)
    {
        // A network that starts at zero has no scale to grow from.
        if (!(initialNorm > 0) || norm <= WeightGrowthLimit * initialNorm)
        {
            return null;
        }
        return string.Format(CultureInfo.InvariantCulture,
            "{0} grew to {1:g3} times their initial norm (finite, but beyond the limit of {2:g3} times)", network, norm / initialNorm, WeightGrowthLimit);
    }

    /// <summary>
    /// Adds a log point covering <paramref name="updates"/> generator updates up to <paramref name="record"/>'s step to the
    /// current saturated stretch, and describes the stretch once it is long enough (its first update in
    /// <paramref name="firstStep"/>), or returns null. Only the logit losses report D's scores as probabilities.
    /// </summary>
    public string? CheckSaturation(GanTrainingRecord record, int updates, out int firstStep)
    {
        bool saturated = _loss is GanLoss.Minimax or GanLoss.NonSaturating
                         && record.RealScore >= 1 - SaturationTolerance && record.FakeScore <= SaturationTolerance;
        if (!saturated)
        {
            Reset();
            firstStep = record.Step;
            return null;
        }
        if (_saturatedLogPoints == 0)
        {
            _saturatedFrom = record.Step - updates + 1;
        }
        _saturatedUpdates += updates;
        _saturatedLogPoints++;
        firstStep = _saturatedFrom;
        if (_saturatedUpdates < SaturatedUpdates || _saturatedLogPoints < SaturatedLogPoints)
        {
            return null;
        }
        return string.Format(CultureInfo.InvariantCulture,
            "the discriminator saturated, D(x) ≥ {0} and D(G(z)) ≤ {1} over {2} generator updates ({3} log points; now D(x) {4:g4}, D(G(z)) {5:g4}), so the generator no longer learns",
            1 - SaturationTolerance, SaturationTolerance, _saturatedUpdates, _saturatedLogPoints, record.RealScore, record.FakeScore);
    }

    /// <summary>Forgets the saturated stretch, after a rollback replaced the weights.</summary>
    public void Reset()
    {
        _saturatedUpdates = 0;
        _saturatedLogPoints = 0;
    }

    private static string Beyond(string name, float value, double limit) => string.Format(CultureInfo.InvariantCulture,
        "{0} = {1:g3} (finite, but beyond ±{2:g3}, the limit for this loss)", name, value, limit);
}
