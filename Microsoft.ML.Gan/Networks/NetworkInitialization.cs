using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// Explicit weight initialisation driven only by a caller's <see cref="torch.Generator"/>, so that the same seed gives
/// the same weights whatever else used the global RNG before.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>nn.init.uniform_</c> and <c>nn.init.normal_</c> accept a generator but ignore it; the
/// <see cref="Tensor.uniform_"/> and <see cref="Tensor.normal_"/> instance methods honour it, so they are used here.
/// </remarks>
internal static class NetworkInitialization
{
    /// <summary>DCGAN (Radford et al. 2016): conv/linear weights N(0, 0.02), BatchNorm weights N(1, 0.02), biases 0.</summary>
    public static void InitializeDcgan(nn.Module module, torch.Generator random) => Initialize(module, random, Scheme.Dcgan);

    /// <summary>
    /// PyTorch's default for Linear and Conv: weight and bias U(−1/√fanIn, 1/√fanIn); BatchNorm weight 1, bias 0.
    /// </summary>
    public static void InitializeFanInUniform(nn.Module module, torch.Generator random) => Initialize(module, random, Scheme.FanInUniform);

    /// <summary>
    /// SNGAN's (Miyato et al. 2018): conv/linear weights Glorot uniform U(−√(6/(fanIn + fanOut)), +√(6/(fanIn + fanOut))),
    /// biases 0; BatchNorm weight 1, bias 0.
    /// </summary>
    public static void InitializeGlorotUniform(nn.Module module, torch.Generator random) => Initialize(module, random, Scheme.GlorotUniform);

    /// <summary>Fills <paramref name="tensor"/> in place with N(mean, std²) draws from <paramref name="random"/>.</summary>
    public static void FillNormal(Tensor tensor, double mean, double std, torch.Generator random)
    {
        // Drawn on the generator's device then copied, so a CPU generator also initialises a CUDA module identically.
        using var noGrad = torch.no_grad();
        using var draws = torch.empty(tensor.shape, tensor.dtype, random.device).normal_(mean, std, random);
        tensor.copy_(draws);
    }

    /// <summary>Fills <paramref name="tensor"/> in place with U(low, high) draws from <paramref name="random"/>.</summary>
    public static void FillUniform(Tensor tensor, double low, double high, torch.Generator random)
    {
        using var noGrad = torch.no_grad();
        using var draws = torch.empty(tensor.shape, tensor.dtype, random.device).uniform_(low, high, random);
        tensor.copy_(draws);
    }

    // Visits the layers in registration order (deterministic), initialises each layer's own parameters, and checks
    // that no parameter was missed: a new layer type must be added here rather than silently keep a global-RNG init.
    private static void Initialize(nn.Module module, torch.Generator random, Scheme scheme)
    {
        var initialized = new HashSet<IntPtr>();
        using var noGrad = torch.no_grad();
        foreach (var layer in module.modules())
        {
            switch (layer)
            {
                case Linear linear:
                    InitAffine(linear.weight, linear.bias, random, scheme, initialized);
                    break;
                case Convolution convolution:
                    InitAffine(convolution.weight, convolution.bias, random, scheme, initialized);
                    break;
                case SpectralNormLayer spectral:
                    InitAffine(spectral.Weight, spectral.Bias, random, scheme, initialized);
                    spectral.ResetPowerIteration(random); // u and v must follow the new weight
                    break;
                case BatchNorm batchNorm:
                    if (batchNorm.weight is not null)
                    {
                        if (scheme == Scheme.Dcgan)
                        {
                            FillNormal(batchNorm.weight, 1.0, 0.02, random);
                        }
                        else
                        {
                            batchNorm.weight.FillInPlace(1.0);
                        }

                        initialized.Add(batchNorm.weight.Handle);
                    }

                    if (batchNorm.bias is not null)
                    {
                        batchNorm.bias.zero_();
                        initialized.Add(batchNorm.bias.Handle);
                    }

                    break;
            }
        }

        var missed = module.named_parameters()
            .Where(p => !initialized.Contains(p.parameter.Handle))
            .Select(p => p.name)
            .ToList();
        if (missed.Count > 0)
        {
            throw new InvalidOperationException("No explicit initialisation for parameters: " + string.Join(", ", missed));
        }
    }

    private static void InitAffine(Tensor weight, Tensor? bias, torch.Generator random, Scheme scheme, HashSet<IntPtr> initialized)
    {
        // Linear [out, in], Conv2d [out, in, k, k], ConvTranspose2d [in, out, k, k]: like PyTorch, dim 1 times the
        // kernel is taken as the fan-in and dim 0 times the kernel as the fan-out in every case.
        long receptiveField = weight.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        long fanIn = weight.shape[1] * receptiveField;
        switch (scheme)
        {
            case Scheme.Dcgan:
                FillNormal(weight, 0.0, 0.02, random);
                bias?.zero_();
                break;
            case Scheme.GlorotUniform:
                double glorot = Math.Sqrt(6.0 / (fanIn + (weight.shape[0] * receptiveField)));
                FillUniform(weight, -glorot, glorot, random);
                bias?.zero_();
                break;
            default:
                double bound = 1.0 / Math.Sqrt(fanIn);
                FillUniform(weight, -bound, bound, random);
                if (bias is not null)
                {
                    FillUniform(bias, -bound, bound, random);
                }
                break;
        }

        initialized.Add(weight.Handle);
        if (bias is not null)
        {
            initialized.Add(bias.Handle);
        }
    }

    private enum Scheme
    {
        Dcgan,
        FanInUniform,
        GlorotUniform,
    }
}
