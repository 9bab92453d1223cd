using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// DiffAugment (Zhao et al. 2020): random transforms applied to every batch the critic judges — real and fake, in both
/// updates — built from differentiable tensor ops, so the generator's gradient flows back through them. A discriminator
/// that only ever sees augmented images cannot memorise a small training set, and because the fakes are augmented the
/// same way, the generator still learns the unaugmented distribution. Each sample gets its own draw. With an
/// <see cref="AdaptiveAugmentationStrength"/> (ADA), each transform reaches each image only with the controller's
/// probability; without one, every transform reaches every image.
/// </summary>
/// <remarks>
/// Images are in [−1, 1], so the zeros that translation pads with and cutout writes are mid-grey. Every random number is
/// drawn from the step's noise generator, so training stays deterministic per seed and a resume stays bit-identical.
/// Runs inside the caller's dispose scope.
/// </remarks>
internal sealed class DifferentiableAugmentation
{
    /// <summary>Brightness, saturation and contrast, each with its own random factor per sample.</summary>
    public const string Color = "color";

    /// <summary>A shift by up to 1/8 of the image in each direction, with zero padding.</summary>
    public const string Translation = "translation";

    /// <summary>A square of half the image's size, at a random place, set to zero.</summary>
    public const string Cutout = "cutout";

    /// <summary>
    /// Gaussian noise of standard deviation 0.2 (a tenth of the pixel range) added to every pixel. Not one of DiffAugment's
    /// transforms: it hides low-amplitude patterns from the critic, so a generator cannot pass O-GAN's encoder its latent
    /// in a speckle that the eye sees as noise (docs/o-gan.md).
    /// </summary>
    public const string Noise = "noise";

    /// <summary>The transforms a policy may name.</summary>
    public static readonly IReadOnlyList<string> PolicyNames = new[] { Color, Translation, Cutout, Noise };

    private const double TranslationRatio = 0.125, CutoutRatio = 0.5, NoiseDeviation = 0.2;

    private readonly IReadOnlyList<string> _transforms;

    private DifferentiableAugmentation(IReadOnlyList<string> transforms, AdaptiveAugmentationStrength? strength)
    {
        _transforms = transforms;
        Strength = strength;
    }

    /// <summary>The policy in canonical form: its transforms, lower case, comma-separated, in the order applied.</summary>
    public string Policy => string.Join(",", _transforms);

    /// <summary>The adaptive controller of how often each transform is applied, or null to apply every transform always.</summary>
    public AdaptiveAugmentationStrength? Strength { get; }

    /// <summary>The same policy, each transform applied to each image with <paramref name="strength"/>'s probability.</summary>
    public DifferentiableAugmentation WithStrength(AdaptiveAugmentationStrength strength) => new(_transforms, strength);

    /// <summary>
    /// The augmentation a policy names, such as "color,translation,cutout" (applied in that order); null for a null or
    /// blank policy, which augments nothing.
    /// </summary>
    /// <param name="policy">Comma-separated transform names from <see cref="PolicyNames"/>, case-insensitive.</param>
    /// <param name="optionName">The option the policy came from, named by the error.</param>
    /// <exception cref="ArgumentException">A name is unknown, empty or repeated.</exception>
    public static DifferentiableAugmentation? Parse(string? policy, string optionName)
    {
        if (string.IsNullOrWhiteSpace(policy))
        {
            return null;
        }
        var transforms = new List<string>();
        foreach (string part in policy.Split(','))
        {
            string name = part.Trim().ToLowerInvariant();
            if (!PolicyNames.Contains(name))
            {
                throw new ArgumentException(
                    $"{optionName} '{policy}' names '{part.Trim()}', which is not a transform; use a comma-separated list of {string.Join(", ", PolicyNames)}.",
                    optionName);
            }
            if (transforms.Contains(name))
            {
                throw new ArgumentException($"{optionName} '{policy}' names '{name}' twice; name each transform once.", optionName);
            }
            transforms.Add(name);
        }
        return new DifferentiableAugmentation(transforms, strength: null);
    }

    /// <summary>The augmented images, with a graph back to <paramref name="images"/>.</summary>
    /// <param name="images">[N, C, H, W], values in [−1, 1].</param>
    /// <param name="noise">Draws every random number.</param>
    public Tensor Apply(Tensor images, Generator noise)
    {
        Tensor result = images;
        foreach (string transform in _transforms)
        {
            Tensor transformed = transform switch
            {
                Color => Contrast(Saturation(Brightness(result, noise), noise), noise),
                Translation => Translate(result, noise),
                Cutout => Cut(result, noise),
                _ => AddNoise(result, noise),
            };
            result = Strength == null ? transformed : where(Chosen(result, Strength.Probability, noise), transformed, result);
        }
        return result;
    }

    // Per sample, [N, 1, 1, 1]: true with probability p. Drawn whatever p is, so the noise stream does not depend on it.
    private static Tensor Chosen(Tensor x, Tensor probability, Generator noise) => PerSample(x, noise).lt(probability);

    // x + (u − 0.5), u ~ U[0, 1): a shift of up to half a grey range either way.
    private static Tensor Brightness(Tensor x, Generator noise) => x.Plus(PerSample(x, noise).Minus(0.5));

    // Scales each pixel's distance from its channel mean by 2u, u ~ U[0, 1): from grey to twice as saturated.
    private static Tensor Saturation(Tensor x, Generator noise) =>
        x.mean(new long[] { 1 }, keepdim: true).lerp(x, PerSample(x, noise).Times(2));

    // Scales each pixel's distance from the image's mean by u + 0.5, u ~ U[0, 1).
    private static Tensor Contrast(Tensor x, Generator noise) =>
        x.mean(new long[] { 1, 2, 3 }, keepdim: true).lerp(x, PerSample(x, noise).Plus(0.5));

    // x + 0.2·ε, ε ~ N(0, 1) for every pixel of every sample.
    private static Tensor AddNoise(Tensor x, Generator noise) =>
        x.Plus(randn(x.shape, x.dtype, noise.device, generator: noise).to(x.device).Times(NoiseDeviation));

    // output(i, j) = x(i − dy, j − dx), zero outside, with dy, dx whole pixels in [−s, s] for s = 1/8 of the side:
    // gathered from the zero-padded image at row i + s − dy, so the gradient reaches every pixel that stays in view.
    // The draw is s − dy ∈ [0, 2s], which keeps the indices whole numbers without a subtraction.
    private static Tensor Translate(Tensor x, Generator noise)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long sh = (long)(h * TranslationRatio + 0.5), sw = (long)(w * TranslationRatio + 0.5);
        Tensor rowOffset = Draw(0, 2 * sh + 1, n, x.device, noise).view(n, 1, 1, 1);
        Tensor colOffset = Draw(0, 2 * sw + 1, n, x.device, noise).view(n, 1, 1, 1);
        Tensor padded = nn.functional.pad(x, new[] { sw, sw, sh, sh });
        Tensor rows = Positions(0, h, x.device).view(1, 1, h, 1).Plus(rowOffset);
        Tensor cols = Positions(0, w, x.device).view(1, 1, 1, w).Plus(colOffset);
        Tensor shiftedRows = padded.gather(2, rows.expand(n, c, h, w + 2 * sw));
        return shiftedRows.gather(3, cols.expand(n, c, h, w));
    }

    // Zeroes a square of half the side, the same in every channel, covering rows [y − size/2, y − size/2 + size) for a
    // centre y uniform over the image (and likewise columns), clipped at the edges. Row i is inside when
    // i + size/2 ≥ y and i + size/2 − size < y: both sides are ranges compared with y, whole numbers throughout.
    private static Tensor Cut(Tensor x, Generator noise)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        long sizeH = (long)(h * CutoutRatio + 0.5), sizeW = (long)(w * CutoutRatio + 0.5);
        Tensor y = Draw(0, h + (1 - sizeH % 2), n, x.device, noise).view(n, 1, 1, 1);
        Tensor xCentre = Draw(0, w + (1 - sizeW % 2), n, x.device, noise).view(n, 1, 1, 1);
        Tensor inRows = Positions(sizeH / 2, h, x.device).view(1, 1, h, 1).ge(y)
            .logical_and(Positions(sizeH / 2 - sizeH, h, x.device).view(1, 1, h, 1).lt(y));
        Tensor inCols = Positions(sizeW / 2, w, x.device).view(1, 1, 1, w).ge(xCentre)
            .logical_and(Positions(sizeW / 2 - sizeW, w, x.device).view(1, 1, 1, w).lt(xCentre));
        Tensor keep = inRows.logical_and(inCols).logical_not().to(x.dtype);
        return x.mul(keep);
    }

    // start, start + 1, ..., start + count − 1 as whole numbers; built from an array, as arange would take its bounds
    // as libtorch scalars that nothing holds (see ScalarArguments).
    private static Tensor Positions(long start, long count, Device device)
    {
        var positions = new long[count];
        for (long i = 0; i < count; i++)
        {
            positions[i] = start + i;
        }
        return tensor(positions, device: device);
    }

    // One U[0, 1) factor per sample, [N, 1, 1, 1], drawn on the generator's device (a CPU generator serves any device).
    private static Tensor PerSample(Tensor x, Generator noise) =>
        rand(new[] { x.shape[0], 1L, 1L, 1L }, x.dtype, noise.device, generator: noise).to(x.device);

    // N whole numbers in [low, high).
    private static Tensor Draw(long low, long high, long n, Device device, Generator noise) =>
        randint(low, high, new[] { n }, ScalarType.Int64, noise.device, generator: noise).to(device);
}
