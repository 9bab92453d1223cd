using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

[TestFixture]
public sealed class DifferentiableAugmentationTests
{
    private const string All = "color,translation,cutout";

    [Test]
    public void PolicyNamesAreCaseInsensitiveAndKeptInTheGivenOrder()
    {
        Assert.That(Augmentation(" Cutout, COLOR ,translation").Policy, Is.EqualTo("cutout,color,translation"));
        Assert.That(DifferentiableAugmentation.Parse(null, "Augmentation"), Is.Null);
        Assert.That(DifferentiableAugmentation.Parse("  ", "Augmentation"), Is.Null);
    }

    [TestCase("color,zoom", "'zoom'")]
    [TestCase("color,", "''")]
    [TestCase("colour", "'colour'")]
    public void UnknownNameIsRefusedNamingItAndTheValidOnes(string policy, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => DifferentiableAugmentation.Parse(policy, "Augmentation"));
        Assert.That(error!.ParamName, Is.EqualTo("Augmentation"));
        Assert.That(error.Message, Does.Contain(named).And.Contain("color, translation, cutout"));
    }

    [Test]
    public void RepeatedNameIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => DifferentiableAugmentation.Parse("cutout,Cutout", "Augmentation"));
        Assert.That(error!.Message, Does.Contain("'cutout' twice"));
    }

    [Test]
    public void KeepsTheShapeAndTheSameSeedGivesTheSameImages()
    {
        DifferentiableAugmentation augmentation = Augmentation(All);
        using var scope = NewDisposeScope();
        using var images = new torch.Generator(1);
        Tensor batch = rand(new long[] { 6, 3, 8, 8 }, generator: images).mul(2).sub(1);

        float[] Augmented(ulong seed)
        {
            using var noise = new torch.Generator(seed);
            manual_seed((long)seed + 100); // the global generator must not matter
            Tensor result = augmentation.Apply(batch, noise);
            Assert.That(result.shape, Is.EqualTo(batch.shape));
            return result.data<float>().ToArray();
        }

        Assert.That(Augmented(5), Is.EqualTo(Augmented(5)));
        Assert.That(Augmented(5), Is.Not.EqualTo(Augmented(6)));
        Assert.That(Augmented(5), Is.Not.EqualTo(batch.data<float>().ToArray()));
    }

    // Every sample is its image shifted by whole pixels, at most 1/8 of the side each way, with zeros shifted in; over
    // many samples every shift occurs.
    [TestCase(8, 1)]
    [TestCase(16, 2)]
    public void TranslationShiftsByAtMostAnEighthWithZeroPadding(int side, int maxShift)
    {
        DifferentiableAugmentation augmentation = Augmentation("translation");
        using var scope = NewDisposeScope();
        using var noise = new torch.Generator(3);
        const int samples = 300;
        Tensor image = arange(1, side * side + 1, dtype: ScalarType.Float32).reshape(1, 1, side, side);
        float[] shifted = augmentation.Apply(image.expand(samples, 1, side, side).contiguous(), noise).data<float>().ToArray();

        var seen = new HashSet<(int, int)>();
        for (int n = 0; n < samples; n++)
        {
            float[] sample = shifted.AsSpan(n * side * side, side * side).ToArray();
            (int, int)[] matches = Shifts(maxShift).Where(shift => sample.SequenceEqual(Shift(side, shift.Dy, shift.Dx))).ToArray();
            Assert.That(matches, Has.Length.EqualTo(1), $"sample {n} is not one shift of the image");
            seen.Add(matches[0]);
        }
        Assert.That(seen, Has.Count.EqualTo((2 * maxShift + 1) * (2 * maxShift + 1)));
    }

    // On an 8×8 image of ones, every sample has one zero rectangle — a 4×4 square, clipped where it crosses the edge —
    // the same in every channel, and ones everywhere else.
    [Test]
    public void CutoutZeroesASquareOfHalfTheSideClippedAtTheEdges()
    {
        DifferentiableAugmentation augmentation = Augmentation("cutout");
        using var scope = NewDisposeScope();
        using var noise = new torch.Generator(4);
        const int samples = 200;
        float[] cut = augmentation.Apply(ones(samples, 2, 8, 8), noise).data<float>().ToArray();

        var heights = new HashSet<int>();
        for (int n = 0; n < samples; n++)
        {
            float[] first = cut.AsSpan(n * 128, 64).ToArray(), second = cut.AsSpan(n * 128 + 64, 64).ToArray();
            Assert.That(second, Is.EqualTo(first), $"sample {n}: channels differ");
            Assert.That(first.All(value => value is 0f or 1f), Is.True);
            int[] zeroRows = Enumerable.Range(0, 8).Where(r => Enumerable.Range(0, 8).Any(c => first[r * 8 + c] == 0)).ToArray();
            int[] zeroCols = Enumerable.Range(0, 8).Where(c => Enumerable.Range(0, 8).Any(r => first[r * 8 + c] == 0)).ToArray();
            Assert.That(zeroRows.Length, Is.InRange(2, 4), $"sample {n}");
            Assert.That(zeroCols.Length, Is.InRange(2, 4), $"sample {n}");
            Assert.That(zeroRows[^1] - zeroRows[0] + 1, Is.EqualTo(zeroRows.Length), "rows are contiguous");
            Assert.That(zeroCols[^1] - zeroCols[0] + 1, Is.EqualTo(zeroCols.Length), "columns are contiguous");
            Assert.That(first.Count(value => value == 0), Is.EqualTo(zeroRows.Length * zeroCols.Length), "the zeros fill a rectangle");
            Assert.That(zeroRows.Length == 4 || zeroRows[0] == 0 || zeroRows[^1] == 7, Is.True, "only the edge clips the square");
            heights.Add(zeroRows.Length);
        }
        Assert.That(heights, Is.EquivalentTo(new[] { 2, 3, 4 }));
    }

    // A flat grey image has no saturation or contrast to change: colour only moves its brightness, by less than half
    // the [−1, 1] range, the same for every pixel of a sample.
    [Test]
    public void ColorMovesAFlatImageOnlyInBrightness()
    {
        DifferentiableAugmentation augmentation = Augmentation("color");
        using var scope = NewDisposeScope();
        using var noise = new torch.Generator(5);
        Tensor result = augmentation.Apply(full(new long[] { 50, 3, 4, 4 }, 0.2f), noise);

        float[] values = result.data<float>().ToArray();
        for (int n = 0; n < 50; n++)
        {
            float[] sample = values.AsSpan(n * 48, 48).ToArray();
            Assert.That(sample.Max() - sample.Min(), Is.LessThan(1e-6), $"sample {n} is not flat");
            Assert.That(sample[0], Is.InRange(-0.3f, 0.7f));
        }
        Assert.That(values.Distinct().Count(), Is.GreaterThan(40), "each sample draws its own brightness");
    }

    // Brightness b = u₁ − 0.5, saturation s = 2u₂, contrast c = u₃ + 0.5, drawn per sample in that order from the noise:
    // x → x + b, then each pixel's distance from its channel mean × s, then each pixel's distance from the image mean × c.
    [Test]
    public void ColorAppliesBrightnessSaturationAndContrastWithTheirDraws()
    {
        DifferentiableAugmentation augmentation = Augmentation("color");
        using var scope = NewDisposeScope();
        using var images = new torch.Generator(6);
        Tensor x = rand(new long[] { 4, 3, 2, 2 }, generator: images).mul(2).sub(1);
        using var noise = new torch.Generator(7);
        float[] actual = augmentation.Apply(x, noise).data<float>().ToArray();

        using var draws = new torch.Generator(7);
        float[] u1 = rand(new long[] { 4, 1, 1, 1 }, generator: draws).data<float>().ToArray();
        float[] u2 = rand(new long[] { 4, 1, 1, 1 }, generator: draws).data<float>().ToArray();
        float[] u3 = rand(new long[] { 4, 1, 1, 1 }, generator: draws).data<float>().ToArray();
        float[] pixels = x.data<float>().ToArray();
        var expected = new float[pixels.Length];
        for (int n = 0; n < 4; n++)
        {
            double[] p = Enumerable.Range(0, 12).Select(i => pixels[n * 12 + i] + (u1[n] - 0.5)).ToArray();
            for (int i = 0; i < 4; i++)
            {
                double channelMean = (p[i] + p[4 + i] + p[8 + i]) / 3; // over channels, per pixel
                for (int c = 0; c < 3; c++)
                {
                    p[c * 4 + i] = channelMean + (p[c * 4 + i] - channelMean) * 2 * u2[n];
                }
            }
            double imageMean = p.Average();
            for (int i = 0; i < 12; i++)
            {
                expected[n * 12 + i] = (float)(imageMean + (p[i] - imageMean) * (u3[n] + 0.5));
            }
        }
        Assert.That(actual, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void NoiseAddsZeroMeanGaussianNoiseOfDeviationOneTenthOfTheRangeAndPassesTheGradientUnchanged()
    {
        using var scope = NewDisposeScope();
        using var noise = new torch.Generator(4);
        Tensor image = zeros(64, 3, 16, 16).requires_grad_(true);

        Tensor noisy = Augmentation("noise").Apply(image, noise);
        noisy.sum().backward();

        Assert.Multiple(() =>
        {
            Assert.That(noisy.mean().item<float>(), Is.EqualTo(0).Within(0.005));
            Assert.That(noisy.std().item<float>(), Is.EqualTo(0.2).Within(0.005));
            Assert.That(image.grad!.data<float>().ToArray(), Has.All.EqualTo(1f), "noise is added: the gradient passes through unchanged");
        });
    }

    // DiffAugment's point: G learns through the transforms. An augmented fake's gradient reaches G's weights, and cutout
    // passes exactly the gradient of the pixels it keeps.
    [Test]
    public void GradientReachesTheGeneratorThroughAnAugmentedFake()
    {
        using var init = new torch.Generator(8);
        Linear generator = nn.Linear(4, 3 * 8 * 8);
        using var scope = NewDisposeScope();
        using var noise = new torch.Generator(9);
        Tensor fakes = generator.call(randn(new long[] { 5, 4 }, generator: init)).tanh().reshape(5, 3, 8, 8);

        Augmentation(All).Apply(fakes, noise).square().sum().backward();

        Assert.That(generator.weight.grad, Is.Not.Null);
        Assert.That(generator.weight.grad!.abs().sum().item<float>(), Is.GreaterThan(0));

        Tensor image = ones(3, 1, 8, 8).requires_grad_(true);
        Tensor cut = Augmentation("cutout").Apply(image, noise);
        cut.sum().backward();
        Assert.That(image.grad!.data<float>().ToArray(), Is.EqualTo(cut.detach().data<float>().ToArray()), "the gradient is the kept-pixel mask");
    }

    private static DifferentiableAugmentation Augmentation(string policy) => DifferentiableAugmentation.Parse(policy, "Augmentation")!;

    private static IEnumerable<(int Dy, int Dx)> Shifts(int max) =>
        from dy in Enumerable.Range(-max, 2 * max + 1) from dx in Enumerable.Range(-max, 2 * max + 1) select (dy, dx);

    // The image 1, 2, ..., side² (row-major) moved down by dy and right by dx, zeros shifted in.
    private static float[] Shift(int side, int dy, int dx)
    {
        var result = new float[side * side];
        for (int r = 0; r < side; r++)
        {
            for (int c = 0; c < side; c++)
            {
                int fromRow = r - dy, fromCol = c - dx;
                bool inside = fromRow >= 0 && fromRow < side && fromCol >= 0 && fromCol < side;
                result[r * side + c] = inside ? fromRow * side + fromCol + 1 : 0;
            }
        }
        return result;
    }
}
