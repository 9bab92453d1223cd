using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// O-GAN's discriminator D(x) = T(E(x)): an encoder E [N, C, H, W] → [N, LatentDimension] (the architecture's
/// discriminator with LatentDimension outputs) and a score T over the code, either avg(E(x)) (the paper's final form, no
/// parameters) or a small Linear head (its first form). <see cref="forward"/> returns the score [N, 1], so the critic
/// plugs in wherever a plain discriminator does (gradient penalty, weight clipping, <c>Score</c>).
/// </summary>
internal sealed class OGanCritic : nn.Module<Tensor, Tensor>
{
    // Field names = key prefixes of the saved weights ("encoder.features.conv1.weight", "head.weight").
    private readonly nn.Module<Tensor, Tensor> encoder;
    private readonly nn.Module<Tensor, Tensor>? head;

    /// <param name="spec">The networks; its DiscriminatorOutputs must equal its LatentDimension.</param>
    /// <param name="scoreHead">Score with a Linear head T instead of avg(E(x)).</param>
    /// <param name="initRandom">Draws every initial weight.</param>
    public OGanCritic(NetworkSpec spec, bool scoreHead, torch.Generator initRandom)
        : base(nameof(OGanCritic))
    {
        encoder = GanNetworkFactory.CreateDiscriminator(spec, initRandom);
        register_module(nameof(encoder), encoder);
        if (scoreHead)
        {
            var linear = nn.Linear(spec.LatentDimension, 1);
            // DCGAN's N(0, 0.02) as for E's layers (InitializeDcgan visits only a module's children, not a bare Linear).
            NetworkInitialization.FillNormal(linear.weight, 0.0, 0.02, initRandom);
            using (no_grad())
            {
                linear.bias!.zero_();
            }
            head = linear;
            register_module(nameof(head), head);
        }
    }

    /// <summary>Whether the score comes from a trained head T rather than avg(E(x)).</summary>
    public bool HasScoreHead => head != null;

    /// <summary>The encoder E: the architecture's discriminator with LatentDimension outputs.</summary>
    public nn.Module<Tensor, Tensor> Encoder => encoder;

    /// <summary>E(x): [N, C, H, W] → [N, LatentDimension] raw codes.</summary>
    public Tensor Encode(Tensor images) => encoder.call(images);

    /// <summary>T(codes): [N, LatentDimension] → [N, 1].</summary>
    public Tensor ScoreCodes(Tensor codes) =>
        head is null ? codes.mean(new long[] { 1 }, keepdim: true) : head.call(codes);

    public override Tensor forward(Tensor images)
    {
        using Tensor codes = Encode(images);
        return ScoreCodes(codes);
    }
}
