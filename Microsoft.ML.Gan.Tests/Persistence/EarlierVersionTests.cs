using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>
/// Models and checkpoints saved by earlier versions of the library (TestData/EarlierVersions/, one folder per version,
/// made by <see cref="EarlierVersionFixtures"/>) load in this one and compute what they computed then: a model gives the
/// same scores and generated images, and a checkpoint resumes to the images its run would have reached.
/// </summary>
/// <remarks>
/// Scores are compared to 1e-4 and pixels to one grey level: the same weights may meet other float kernels on another
/// CPU. A changed training step (another order of random draws, a changed loss) moves the resumed run's pixels far more.
/// </remarks>
[TestFixture]
public class EarlierVersionTests
{
    private static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "EarlierVersions");

    private static IEnumerable<TestCaseData> Fixtures(string file)
    {
        string root = Path.Combine(AppContext.BaseDirectory, "TestData", "EarlierVersions");
        foreach (string version in Directory.GetDirectories(root).OrderBy(path => path, StringComparer.Ordinal))
        {
            foreach (string trainer in EarlierVersionFixtures.Trainers)
            {
                if (File.Exists(Path.Combine(version, trainer, file)))
                {
                    yield return new TestCaseData(Path.GetFileName(version), trainer);
                }
            }
        }
    }

    private static IEnumerable<TestCaseData> Models() => Fixtures(EarlierVersionFixtures.ModelFile);

    private static IEnumerable<TestCaseData> Checkpoints() => Fixtures(EarlierVersionFixtures.CheckpointFile);

    [Test]
    public void EveryTrainerHasAModelAndSomeHaveACheckpointFromTheFirstVersionKept()
    {
        Assert.That(Models().Count(), Is.GreaterThanOrEqualTo(EarlierVersionFixtures.Trainers.Length));
        Assert.That(Checkpoints().Count(), Is.GreaterThanOrEqualTo(EarlierVersionFixtures.CheckpointTrainers.Length));
    }

    [TestCaseSource(nameof(Models))]
    public void ModelLoadsAndScoresAndGeneratesAsItsVersionDid(string version, string trainer)
    {
        string folder = Path.Combine(Root, version, trainer);
        string[] expected = File.ReadAllLines(Path.Combine(folder, EarlierVersionFixtures.ExpectedFile));
        var mlContext = new MLContext(seed: 1);

        ITransformer model = mlContext.Gan().LoadModel(Path.Combine(folder, EarlierVersionFixtures.ModelFile), out _);
        try
        {
            float[] scores = EarlierVersionFixtures.Scores(model, EarlierVersionFixtures.Data(mlContext));
            float[] expectedScores = expected[0].Split(' ').Select(value => float.Parse(value, CultureInfo.InvariantCulture)).ToArray();
            Assert.That(scores, Is.EqualTo(expectedScores).Within(1e-4f));
            AssertSamePixels(EarlierVersionFixtures.Generated(model), Convert.FromBase64String(expected[1]));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    [TestCaseSource(nameof(Checkpoints))]
    public void CheckpointResumesToTheImagesItsRunReached(string version, string trainer)
    {
        string folder = Path.Combine(Root, version, trainer);
        string work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "earlier-checkpoint-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            // A copy, so that nothing a resume does can touch the fixture.
            string checkpoint = Path.Combine(work, EarlierVersionFixtures.CheckpointFile);
            File.Copy(Path.Combine(folder, EarlierVersionFixtures.CheckpointFile), checkpoint);
            var mlContext = new MLContext(seed: 1);

            ITransformer resumed = EarlierVersionFixtures.Train(mlContext, trainer, EarlierVersionFixtures.Data(mlContext),
                EarlierVersionFixtures.FinalStep, Path.Combine(work, "run"), checkpoint);
            try
            {
                string[] expected = File.ReadAllLines(Path.Combine(folder, EarlierVersionFixtures.ExpectedFile));
                AssertSamePixels(EarlierVersionFixtures.Generated(resumed), Convert.FromBase64String(expected[2]));
            }
            finally
            {
                (resumed as IDisposable)?.Dispose();
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void AssertSamePixels(byte[] actual, byte[] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        int worst = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.That(worst, Is.LessThanOrEqualTo(1), "Largest difference from the earlier version's pixels, in grey levels.");
    }
}
