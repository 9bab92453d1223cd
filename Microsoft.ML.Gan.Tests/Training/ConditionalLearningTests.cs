using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// A conditional GAN learns which pattern belongs to which label: asked for a class by its name, a trained generator
/// draws images near that class's pattern; a generator after a single update does not.
/// </summary>
/// <remarks>
/// "Near" is within 1.6 of the pattern, as in <see cref="LearningTests"/> (real images lie about 0.4 from their pattern,
/// patterns are at least 3.6 apart).
/// </remarks>
[TestFixture]
public class ConditionalLearningTests
{
    private const int SamplesPerClass = 100;
    private const double NearMode = 1.6;

    private static IEnumerable<TestCaseData> Methods()
    {
        yield return new TestCaseData(ConditioningMethod.Projection, GanLoss.Hinge, true).SetName("Projection_Hinge_SpectralNorm");
        yield return new TestCaseData(ConditioningMethod.AuxiliaryClassifier, GanLoss.NonSaturating, false).SetName("AuxiliaryClassifier_NonSaturating");
    }

    [TestCaseSource(nameof(Methods))]
    public void TrainedGeneratorDrawsTheRequestedClass(ConditioningMethod method, GanLoss loss, bool spectralNorm)
    {
        double[] trained = ShareOfRequestedClass(Options(method, loss, spectralNorm, steps: 400));
        double[] untrained = ShareOfRequestedClass(Options(method, loss, spectralNorm, steps: 1));
        TestContext.Out.WriteLine($"share near the requested pattern per class: trained [{string.Join(", ", trained.Select(s => s.ToString("F2")))}], " +
                                  $"after one update [{string.Join(", ", untrained.Select(s => s.ToString("F2")))}]");

        Assert.Multiple(() =>
        {
            Assert.That(trained.Min(), Is.GreaterThanOrEqualTo(0.7), "every class, trained");
            Assert.That(untrained.Average(), Is.LessThan(0.3), "after one update");
        });
    }

    private static ConditionalGanTrainer.Options Options(ConditioningMethod method, GanLoss loss, bool spectralNorm, int steps) => new()
    {
        Conditioning = method, Loss = loss, SpectralNormalization = spectralNorm, Architecture = GanArchitecture.Dcgan,
        LatentDimension = 16, MaxSteps = steps, Epochs = 10_000, BatchSize = 64, Seed = 3,
        Beta1 = spectralNorm ? 0 : 0.5, Beta2 = spectralNorm ? 0.9 : 0.999, GeneratorLearningRate = 5e-4, DiscriminatorLearningRate = 5e-4,
    };

    // For each class, the share of images generated for it (by name) that lie near that class's pattern.
    private static double[] ShareOfRequestedClass(ConditionalGanTrainer.Options options)
    {
        var mlContext = new MLContext(seed: 1);
        using ConditionalGanTransformer model = mlContext.Gan().Trainers.ConditionalGan(options).Fit(SyntheticModes.CreateLabelled(mlContext, 512));
        return Enumerable.Range(0, SyntheticModes.Patterns.Length).Select(mode =>
        {
            List<float[]> images = GeneratedImages.ReadGray(model.Generate(SamplesPerClass, SyntheticModes.Names[mode], seed: 11));
            return images.Count(image => SyntheticModes.Nearest(image) is var nearest && nearest.Mode == mode && nearest.Distance < NearMode)
                   / (double)SamplesPerClass;
        }).ToArray();
    }
}
