using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// O-GAN on the four-mode set: the trained encoder inverts the generator (mean ρ(z, E(G(z))) on fresh z above 0.8),
/// and reconstructions G(N(E(x))) land nearer their source's mode than any other mode.
/// </summary>
[TestFixture]
public class OGanLearningTests
{
    internal static OGanTrainer.Options SyntheticOptions(int steps) => new()
    {
        Architecture = GanArchitecture.Dcgan,
        LatentDimension = 16,
        CorrelationWeight = 1.0,
        GeneratorLearningRate = 1e-3,
        DiscriminatorLearningRate = 1e-3,
        MaxSteps = steps,
        Epochs = 10_000,
        BatchSize = 32,
        Seed = 3,
    };

    [Test]
    public void TrainedEncoderInvertsTheGeneratorAndReconstructionsKeepTheirMode()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = SyntheticModes.Create(mlContext, 512);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using OGanTransformer model = mlContext.Gan().Trainers.OGan(SyntheticOptions(300)).Fit(data);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        double rho = model.MeanCorrelation(1000, seed: 11);
        using OGanTransformer twin = mlContext.Gan().Trainers.OGan(SyntheticOptions(1)).Fit(data);
        double twinRho = twin.MeanCorrelation(1000, seed: 11);

        IDataView test = SyntheticModes.Create(mlContext, 200, seed: 99);
        List<float[]> sources = ReadSources(test);
        List<float[]> reconstructions = GeneratedImages.ReadGray(model.Reconstruct(test), OGanTransformer.ReconstructionColumnName);
        int kept = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            kept += SyntheticModes.Nearest(reconstructions[i]).Mode == SyntheticModes.Nearest(sources[i]).Mode ? 1 : 0;
        }
        double keptShare = kept / (double)sources.Count;
        TestContext.Out.WriteLine($"rho {rho:F3} (after one update {twinRho:F3}); reconstructions keeping their mode {keptShare:P0}; trained in {trainSeconds:F1} s");

        Assert.Multiple(() =>
        {
            Assert.That(rho, Is.GreaterThan(0.8));
            Assert.That(twinRho, Is.LessThan(0.5));
            Assert.That(keptShare, Is.GreaterThanOrEqualTo(0.9));
        });
    }

    private static List<float[]> ReadSources(IDataView data)
    {
        var result = new List<float[]>();
        DataViewSchema.Column column = data.Schema["Image"];
        using DataViewRowCursor cursor = data.GetRowCursor(new[] { column });
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }
        return result;
    }
}
