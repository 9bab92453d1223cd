using System;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>
/// A trained O-GAN: a <see cref="GanModel"/> whose discriminator is an <see cref="OGanCritic"/>, plus what encoding
/// needs. Every forward pass holds the GAN model's lock, so the transformers that share it can be used from several threads.
/// </summary>
internal sealed class OGanModel : IDisposable
{
    public OGanModel(GanModel gan)
    {
        Gan = gan;
        gan.WithNetworks((_, discriminator) =>
        {
            if (discriminator is not OGanCritic critic)
            {
                throw new ArgumentException("An O-GAN model needs its encoder; this model holds no O-GAN critic.", nameof(gan));
            }
            HasScoreHead = critic.HasScoreHead;
        });
    }

    public GanModel Gan { get; }

    public bool HasScoreHead { get; private set; }

    public int LatentDimension => Gan.LatentDimension;

    /// <summary>
    /// N(E(x)) for images [N, C, H, W] in [−1, 1] on any device: a new [N, LatentDimension] tensor on the model's
    /// device, in the generator's input space. For feature extractors; call it inside a dispose scope.
    /// </summary>
    public Tensor EncodeNormalized(Tensor images)
    {
        Tensor? codes = null;
        Gan.WithNetworks((_, discriminator) =>
        {
            // A scope, not using-declarations: to() returns the caller's own tensor when it is already on the device.
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            codes = LatentCorrelation.Normalize(Critic(discriminator).Encode(images.to(Gan.Device))).MoveToOuterDisposeScope();
        });
        return codes!;
    }

    /// <summary>N(E(x)) and the critic's score for <paramref name="count"/> planar images in [−1, 1].</summary>
    public void Encode(ReadOnlySpan<float> images, int count, Span<float> latents, Span<float> scores)
    {
        float[] input = images[..(count * Gan.Shape.PixelCount)].ToArray();
        float[] codes = Array.Empty<float>(), scored = Array.Empty<float>();
        Gan.WithNetworks((_, discriminator) =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            OGanCritic critic = Critic(discriminator);
            Tensor x = tensor(input, Gan.Shape.AsBatchShape(count)).to(Gan.Device);
            Tensor raw = critic.Encode(x);
            codes = LatentCorrelation.Normalize(raw).cpu().contiguous().data<float>().ToArray();
            scored = critic.ScoreCodes(raw).view(-1).cpu().data<float>().ToArray();
        });
        codes.CopyTo(latents);
        scored.CopyTo(scores);
    }

    /// <summary>G(N(E(x))) for <paramref name="count"/> planar images in [−1, 1].</summary>
    public void Reconstruct(ReadOnlySpan<float> images, int count, Span<float> reconstructions)
    {
        float[] input = images[..(count * Gan.Shape.PixelCount)].ToArray();
        float[] output = Array.Empty<float>();
        Gan.WithNetworks((generator, discriminator) =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor x = tensor(input, Gan.Shape.AsBatchShape(count)).to(Gan.Device);
            Tensor z = LatentCorrelation.Normalize(Critic(discriminator).Encode(x));
            output = Generator(generator).call(z).cpu().contiguous().data<float>().ToArray();
        });
        output.CopyTo(reconstructions);
    }

    /// <summary>Mean ρ(z, E(G(z))) over <paramref name="count"/> fresh latents z ~ N(0, I) drawn from <paramref name="seed"/>.</summary>
    public double MeanCorrelation(int count, int seed)
    {
        const int chunk = 1000;
        double sum = 0;
        for (int start = 0; start < count; start += chunk)
        {
            int rows = Math.Min(chunk, count - start);
            var latents = new float[rows * LatentDimension];
            for (int i = 0; i < rows; i++)
            {
                LatentSampler.Fill(latents.AsSpan(i * LatentDimension, LatentDimension), seed, start + i);
            }
            Gan.WithNetworks((generator, discriminator) =>
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                Tensor z = tensor(latents, new long[] { rows, LatentDimension }).to(Gan.Device);
                sum += LatentCorrelation.Pearson(z, Critic(discriminator).Encode(Generator(generator).call(z))).sum().item<float>();
            });
        }
        return count == 0 ? double.NaN : sum / count;
    }

    public void Dispose() => Gan.Dispose();

    private static OGanCritic Critic(nn.Module? discriminator) => (OGanCritic)discriminator!;

    private static nn.Module<Tensor, Tensor> Generator(nn.Module generator) => (nn.Module<Tensor, Tensor>)generator;
}
