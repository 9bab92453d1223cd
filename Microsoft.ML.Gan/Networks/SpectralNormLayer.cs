using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// A layer whose weight W is used as W / σ(W), σ the largest singular value (Miyato et al. 2018), so the layer is
/// (at most) 1-Lipschitz. TorchSharp 0.107 has no spectral norm or parametrizations, hence this base class.
/// </summary>
/// <remarks>
/// σ is estimated by power iteration on W viewed as a matrix [out, in·kh·kw]: u ≈ first left singular vector,
/// v ≈ first right one, σ = uᵀ W v. In training mode every forward does one iteration and stores u and v as buffers
/// (saved with the weights); in eval mode they are used as they are, so a loaded model computes the same σ.
/// </remarks>
internal abstract class SpectralNormLayer : nn.Module<Tensor, Tensor>
{
    // Iterations run when the weight is (re)initialised, as PyTorch's parametrizations.spectral_norm does,
    // so that σ is accurate from the first step rather than a random projection.
    private const int WarmUpIterations = 15;

    private const double Epsilon = 1e-12;

    // Field names are the keys of saved weights: keep them stable.
    private Parameter weight;
    private Parameter? bias;
    private Tensor u;
    private Tensor v;

    protected SpectralNormLayer(string name, long[] weightShape, long biasLength, torch.Generator initRandom)
        : base(name)
    {
        // DetachFromDisposeScope: a Parameter owned by a caller's dispose scope would be freed under the module.
        weight = (Parameter)new Parameter(torch.empty(weightShape)).DetachFromDisposeScope();
        bias = biasLength > 0 ? (Parameter)new Parameter(torch.zeros(biasLength)).DetachFromDisposeScope() : null;
        u = torch.zeros(weightShape[0]).DetachFromDisposeScope();
        v = torch.zeros(RowLength(weightShape)).DetachFromDisposeScope();

        // PyTorch's default fan-in init, from the caller's generator so construction never touches the global RNG.
        double bound = 1.0 / Math.Sqrt(RowLength(weightShape));
        using (torch.no_grad())
        {
            NetworkInitialization.FillUniform(weight, -bound, bound, initRandom);
            if (bias is not null)
            {
                NetworkInitialization.FillUniform(bias, -bound, bound, initRandom);
            }
        }

        ResetPowerIteration(initRandom);

        // Explicit order (reflection's field order is not guaranteed), as in the networks.
        register_parameter(nameof(weight), weight);
        if (bias is not null)
        {
            register_parameter(nameof(bias), bias);
        }

        register_buffer(nameof(u), u);
        register_buffer(nameof(v), v);
        RegisterComponents();
    }

    /// <summary>The raw (unnormalised) weight the optimiser updates.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias (not normalised), or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>Current estimate of the first left singular vector of the weight matrix.</summary>
    public Tensor U => u;

    /// <summary>Current estimate of the first right singular vector of the weight matrix.</summary>
    public Tensor V => v;

    /// <summary>
    /// Draws a fresh u from <paramref name="initRandom"/> and runs a few power iterations. Call after changing the weight
    /// other than by gradient steps (initialisation), so that σ matches the new weight.
    /// </summary>
    public void ResetPowerIteration(torch.Generator initRandom)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        NetworkInitialization.FillNormal(u, 0.0, 1.0, initRandom);
        u.copy_(nn.functional.normalize(u, dim: 0, eps: Epsilon));
        for (int i = 0; i < WarmUpIterations; i++)
        {
            PowerIteration();
        }
    }

    /// <summary>
    /// W / σ with the layer's weight shape. In training mode this first does one power iteration (updating u and v).
    /// The gradient flows through W (and through σ's dependence on W), not through u and v.
    /// </summary>
    public Tensor NormalizedWeight()
    {
        if (training)
        {
            using var noGrad = torch.no_grad();
            PowerIteration();
        }

        // Clones: u and v change in place at the next forward, which would invalidate this forward's graph
        // (D(real) and D(fake) are usually computed before a single backward).
        using var uNow = u.clone();
        using var vNow = v.clone();
        using var matrix = weight.reshape(weight.shape[0], -1);
        using var wv = matrix.mv(vNow);
        using var sigma = uNow.dot(wv);
        return weight / sigma;
    }

    private void PowerIteration()
    {
        using var matrix = weight.detach().reshape(weight.shape[0], -1);
        using var wtu = matrix.t().mv(u);
        using var newV = nn.functional.normalize(wtu, dim: 0, eps: Epsilon);
        v.copy_(newV);
        using var wv = matrix.mv(v);
        using var newU = nn.functional.normalize(wv, dim: 0, eps: Epsilon);
        u.copy_(newU);
    }

    private static long RowLength(long[] weightShape)
    {
        long length = 1;
        for (int i = 1; i < weightShape.Length; i++)
        {
            length *= weightShape[i];
        }

        return length;
    }
}
