using System;
using System.Linq;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>ρ is the Pearson correlation over latent components, blind to the code's shift and scale; N standardises.</summary>
[TestFixture]
public class LatentCorrelationTests
{
    private static float[,] RandomRows(int seed, int rows, int columns)
    {
        var random = new Random(seed);
        var values = new float[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                values[i, j] = (float)(random.NextDouble() * 4 - 2);
            }
        }
        return values;
    }

    private static double Pearson(float[,] x, float[,] y, int row)
    {
        int n = x.GetLength(1);
        double mx = Enumerable.Range(0, n).Average(j => x[row, j]);
        double my = Enumerable.Range(0, n).Average(j => y[row, j]);
        double sxy = 0, sxx = 0, syy = 0;
        for (int j = 0; j < n; j++)
        {
            sxy += (x[row, j] - mx) * (y[row, j] - my);
            sxx += (x[row, j] - mx) * (x[row, j] - mx);
            syy += (y[row, j] - my) * (y[row, j] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    [Test]
    public void EqualsThePearsonCorrelationOfEachRowsComponents()
    {
        float[,] z = RandomRows(1, 5, 12), zHat = RandomRows(2, 5, 12);
        using var scope = NewDisposeScope();
        float[] rho = LatentCorrelation.Pearson(tensor(z), tensor(zHat)).data<float>().ToArray();
        for (int row = 0; row < 5; row++)
        {
            Assert.That(rho[row], Is.EqualTo(Pearson(z, zHat, row)).Within(1e-5), $"row {row}");
        }
    }

    [TestCase(2.5f, 0.7f)]
    [TestCase(0.01f, -3f)]
    [TestCase(40f, 10f)]
    public void IsUnchangedByShiftingAndScalingTheCode(float scale, float shift)
    {
        float[,] z = RandomRows(3, 4, 16), zHat = RandomRows(4, 4, 16);
        using var scope = NewDisposeScope();
        Tensor original = LatentCorrelation.Pearson(tensor(z), tensor(zHat));
        Tensor moved = LatentCorrelation.Pearson(tensor(z), tensor(zHat) * scale + shift);
        Assert.That(moved.data<float>().ToArray(), Is.EqualTo(original.data<float>().ToArray()).Within(1e-4));
        Assert.That(original.abs().max().item<float>(), Is.GreaterThan(0.05f), "random codes must not be trivially uncorrelated");
    }

    [Test]
    public void IsOneForACodeThatIsAShiftedScaledCopyAndMinusOneForAFlippedOne()
    {
        float[,] z = RandomRows(5, 3, 10);
        using var scope = NewDisposeScope();
        Assert.That(LatentCorrelation.Pearson(tensor(z), tensor(z) * 3 + 1).data<float>().ToArray(), Is.All.EqualTo(1f).Within(1e-5));
        Assert.That(LatentCorrelation.Pearson(tensor(z), tensor(z) * -2).data<float>().ToArray(), Is.All.EqualTo(-1f).Within(1e-5));
    }

    [Test]
    public void NormalizeGivesEachRowMeanZeroAndStandardDeviationOne()
    {
        using var scope = NewDisposeScope();
        Tensor normalized = LatentCorrelation.Normalize(tensor(RandomRows(6, 4, 20)) * 7 + 3);
        Assert.That(normalized.mean(new long[] { 1 }).data<float>().ToArray(), Is.All.EqualTo(0f).Within(1e-5));
        Assert.That(normalized.square().mean(new long[] { 1 }).sqrt().data<float>().ToArray(), Is.All.EqualTo(1f).Within(1e-4));
    }
}
