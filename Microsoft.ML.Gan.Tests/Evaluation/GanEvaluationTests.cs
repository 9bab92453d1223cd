using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Evaluation;

/// <summary>
/// <c>mlContext.Gan().Evaluate</c> end to end on the labelled four-pattern set, with a classifier trained on it: the
/// sanity properties a user relies on, and the errors for bad input.
/// </summary>
[TestFixture]
public class GanEvaluationTests
{
    private const int Count = 400;
    private MLContext _mlContext = null!;
    private ImageClassifierTransformer _classifier = null!;
    private IDataView _real = null!;

    [OneTimeSetUp]
    public void TrainClassifier()
    {
        _mlContext = new MLContext(seed: 1);
        _classifier = _mlContext.Gan().Evaluation.TrainClassifier(LabelledModes.Create(_mlContext, 800, seed: 1, noise: 0.15f),
            new ImageClassifierOptions { Epochs = 3, FeatureDimension = 32, Seed = 2 });
        _real = LabelledModes.Create(_mlContext, Count, seed: 2);
    }

    [OneTimeTearDown]
    public void DisposeClassifier() => _classifier.Dispose();

    private static GanEvaluationOptions Fast => new() { KernelDistanceSubsets = 1 };

    private GanMetrics Evaluate(IDataView generated, GanEvaluationOptions? options = null) =>
        _mlContext.Gan().Evaluate(generated, _real, _classifier, options ?? new GanEvaluationOptions { KernelDistanceSubsets = 20 });

    [Test]
    public void HeldOutRealImagesScoreLikeRealImages()
    {
        GanMetrics metrics = Evaluate(LabelledModes.Create(_mlContext, Count, seed: 3));
        GanMetrics noised = Evaluate(LabelledModes.Create(_mlContext, Count, seed: 3, noise: 0.6f));
        TestContext.Out.WriteLine(metrics);
        TestContext.Out.WriteLine(noised);
        Assert.Multiple(() =>
        {
            // With k = 3 and 400 images, k-NN manifolds of two samples of one distribution cover each other 85–90%.
            Assert.That(metrics.Precision, Is.GreaterThan(0.8));
            Assert.That(metrics.Recall, Is.GreaterThan(0.8));
            // KID is on the scale of the kernel, (x·y/d + 1)³: "about 0" means small next to a degraded set's.
            Assert.That(Math.Abs(metrics.KernelDistance), Is.LessThan(0.05 * noised.KernelDistance));
            Assert.That(metrics.ModeCoverage, Is.EqualTo(1));
            Assert.That(metrics.ClassDistributionKl, Is.LessThan(0.01));
            Assert.That(metrics.InceptionScore, Is.GreaterThan(3.5).And.LessThanOrEqualTo(4));
            Assert.That((metrics.GeneratedCount, metrics.RealCount, metrics.TrainingCount, metrics.ClassCount, metrics.FeatureDimension), Is.EqualTo((400L, 400L, 0L, 4, 32)));
            Assert.That(metrics.MemorizationRatio, Is.Null);
        });
    }

    [Test]
    public void FrechetDistanceGrowsWithNoiseAndBlur()
    {
        double heldOut = Evaluate(LabelledModes.Create(_mlContext, Count, seed: 3), Fast).FrechetDistance;
        double[] noised = new[] { 0.15f, 0.3f, 0.6f }.Select(n => Evaluate(LabelledModes.Create(_mlContext, Count, seed: 3, noise: n), Fast).FrechetDistance).ToArray();
        double[] blurred = new[] { 0.3f, 0.6f, 1f }.Select(b => Evaluate(LabelledModes.Create(_mlContext, Count, seed: 3, blur: b), Fast).FrechetDistance).ToArray();
        TestContext.Out.WriteLine($"held out {heldOut}; noise {string.Join(", ", noised)}; blur {string.Join(", ", blurred)}");
        Assert.That(new[] { heldOut }.Concat(noised), Is.Ordered.Ascending.And.Unique);
        Assert.That(new[] { heldOut }.Concat(blurred), Is.Ordered.Ascending.And.Unique);
        Assert.That(heldOut, Is.LessThan(noised[0] / 3));
    }

    [Test]
    public void AOneImageGeneratorHasLowRecallAndLowModeCoverage()
    {
        LabelledModes.Row one = LabelledModes.Rows(1, seed: 4)[0];
        GanMetrics metrics = Evaluate(LabelledModes.View(_mlContext, Enumerable.Repeat(one, Count)));
        TestContext.Out.WriteLine(metrics);
        Assert.Multiple(() =>
        {
            Assert.That(metrics.Recall, Is.LessThan(0.05));
            Assert.That(metrics.ModeCoverage, Is.EqualTo(0.25));
            Assert.That(metrics.InceptionScore, Is.EqualTo(1).Within(1e-6));
            Assert.That(metrics.ClassDistributionKl, Is.EqualTo(Math.Log(4)).Within(0.05));
        });
    }

    [Test]
    public void CopiesOfTheTrainingImagesHaveAMemorizationRatioBelowOne()
    {
        List<LabelledModes.Row> training = LabelledModes.Rows(Count, seed: 5);
        var options = new GanEvaluationOptions { Training = LabelledModes.View(_mlContext, training), KernelDistanceSubsets = 5 };
        GanMetrics copies = Evaluate(LabelledModes.View(_mlContext, training.Take(200)), options);
        GanMetrics fresh = Evaluate(LabelledModes.Create(_mlContext, 200, seed: 6), options);
        TestContext.Out.WriteLine($"copies {copies.MemorizationRatio}, fresh {fresh.MemorizationRatio}");
        Assert.That(copies.MemorizationRatio, Is.LessThan(0.01));
        Assert.That(fresh.MemorizationRatio, Is.EqualTo(1).Within(0.2));
        Assert.That(copies.TrainingCount, Is.EqualTo(Count));
    }

    [Test]
    public void GeneratorOutputIsScoredThroughItsImageColumn()
    {
        using GanTransformer gan = TrainedModels.Dcgan(_mlContext, steps: 5);
        GanMetrics metrics = Evaluate(gan.Generate(50, seed: 1), new GanEvaluationOptions { KernelDistanceSubsets = 5 });
        Assert.That(metrics.GeneratedCount, Is.EqualTo(50));
        Assert.That(metrics.FrechetDistance, Is.GreaterThan(0));
    }

    [Test]
    public void SameSeedGivesTheSameMetrics()
    {
        IDataView generated = LabelledModes.Create(_mlContext, Count, seed: 7, noise: 0.2f);
        Assert.That(Evaluate(generated, Fast).ToString(), Is.EqualTo(Evaluate(generated, Fast).ToString()));
    }

    [Test]
    public void MissingColumnIsNamed()
    {
        var options = new GanEvaluationOptions { GeneratedImageColumnName = "Pixels" };
        var e = Assert.Throws<ArgumentException>(() => Evaluate(LabelledModes.Create(_mlContext, 10, seed: 3), options));
        Assert.That(e!.Message, Does.Contain("'Pixels'"));
    }

    [Test]
    public void ImagesOfAnotherSizeAreRejectedByTheClassifier()
    {
        IDataView fashion = _mlContext.Data.LoadFromIdxFile(Path.Combine(AppContext.BaseDirectory, "fashion-mnist", "t10k-images-idx3-ubyte.gz"));
        var e = Assert.Throws<ArgumentException>(() => Evaluate(fashion));
        Assert.That(e!.Message, Does.Contain("1x28x28").And.Contain("1x8x8").And.Contain("'Image'").And.Contain("does not resize"));
    }

    [Test]
    public void EmptyOrTooSmallSetsAreRejected()
    {
        var empty = Assert.Throws<InvalidOperationException>(() => Evaluate(LabelledModes.Create(_mlContext, 0, seed: 3)));
        Assert.That(empty!.Message, Does.Contain("no rows"));
        var tiny = Assert.Throws<InvalidOperationException>(() => Evaluate(LabelledModes.Create(_mlContext, 3, seed: 3)));
        Assert.That(tiny!.Message, Does.Contain("at least 4"));
    }

    [Test]
    public void InvalidOptionIsNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Evaluate(_real, new GanEvaluationOptions { NearestNeighbors = 0 }));
        Assert.That(e!.ParamName, Is.EqualTo("NearestNeighbors"));
    }
}
