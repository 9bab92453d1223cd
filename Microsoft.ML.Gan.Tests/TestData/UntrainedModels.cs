using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Features;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Transformers;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.TestData;

/// <summary>
/// Tiny freshly initialised models of every saved kind (1×8×8 images, latent 4), for persistence tests that need the
/// bytes of a real model file but no training.
/// </summary>
internal static class UntrainedModels
{
    public static readonly ImageShape Shape = new(1, 8, 8);

    /// <summary>Every kind saved through <see cref="Persistence.MlNetBridge"/>, by name, for test cases.</summary>
    public static readonly string[] Kinds = { "Gan", "Dcgan", "Generator", "Conditional", "OGan", "OGanEncoder", "Classifier", "DiscriminatorFeatures" };

    /// <summary>A model of <paramref name="kind"/>; <paramref name="alter"/> may change its generator (the classifier's network, the featurizer's discriminator) first.</summary>
    public static ITransformer Create(IHostEnvironment environment, string kind, Action<nn.Module>? alter = null)
    {
        alter ??= _ => { };
        return kind switch
        {
            "Gan" => new GanTransformer(environment, Gan(GanArchitecture.Mlp, alter)),
            "Dcgan" => new GanTransformer(environment, Gan(GanArchitecture.Dcgan, alter)),
            "Generator" => new GeneratorTransformer(Gan(GanArchitecture.Mlp, alter), ownsModel: true),
            "Conditional" => new ConditionalGanTransformer(environment, Conditional(alter)),
            "OGan" => new OGanTransformer(environment, OGan(alter)),
            "OGanEncoder" => new OGanEncoderTransformer(OGan(alter), ownsModel: true),
            "Classifier" => new ImageClassifierTransformer(Altered(new ImageClassifierNetwork(Shape, 8, 3), alter), CPU, Input, 8, new[] { "a", "b", "c" }),
            "DiscriminatorFeatures" => Featurizer(alter),
            _ => throw new KeyNotFoundException(kind),
        };
    }

    private static TModule Altered<TModule>(TModule module, Action<nn.Module> alter) where TModule : nn.Module
    {
        alter(module);
        return module;
    }

    private static ImageInputFormat Input => new("Image", false, Shape, 1f);

    private static GanModel Gan(GanArchitecture architecture, Action<nn.Module> alter)
    {
        var spec = new NetworkSpec(architecture, Shape, 4);
        using var initRandom = new torch.Generator(3);
        var history = new List<GanTrainingRecord> { new(10, 1, 0.5f, 0.7f, 0.6f, 0.4f) };
        return new GanModel(spec, GanLoss.NonSaturating, Input, Altered(GanNetworkFactory.CreateGenerator(spec, initRandom), alter),
            GanNetworkFactory.CreateDiscriminator(spec, initRandom), CPU, history);
    }

    private static GanModel Conditional(Action<nn.Module> alter)
    {
        var spec = new NetworkSpec(GanArchitecture.Mlp, Shape, 4);
        var labels = new ClassLabels(new KeyDataViewType(typeof(uint), 3), new[] { "top", "middle", "bottom" }, new[] { 0.5, 0.25, 0.25 });
        var conditioning = new LabelConditioning("Label", labels, ConditioningMethod.Projection);
        using var initRandom = new torch.Generator(3);
        return new GanModel(spec, GanLoss.NonSaturating, Input, Altered(GanNetworkFactory.CreateConditionalGenerator(spec, 3, initRandom), alter),
            GanNetworkFactory.CreateConditionalDiscriminator(spec, 3, conditioning.Method, initRandom), CPU,
            new List<GanTrainingRecord>(), conditioning);
    }

    private static DiscriminatorFeaturesTransformer Featurizer(Action<nn.Module> alter)
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, Shape, 4);
        using var initRandom = new torch.Generator(3);
        var network = new DiscriminatorFeatureNetwork(spec, Input, 4, Altered(GanNetworkFactory.CreateDiscriminator(spec, initRandom), alter), CPU, nameof(GanTransformer));
        var standardization = new FeatureStandardization(Enumerable.Repeat(0.5f, network.FeatureCount).ToArray(), Enumerable.Repeat(2f, network.FeatureCount).ToArray());
        return new DiscriminatorFeaturesTransformer(network, standardization, "Features");
    }

    private static OGanModel OGan(Action<nn.Module> alter)
    {
        var spec = new NetworkSpec(GanArchitecture.Mlp, Shape, 4, DiscriminatorOutputs: 4);
        using var initRandom = new torch.Generator(3);
        return new OGanModel(new GanModel(spec, GanLoss.NonSaturating, Input, Altered(GanNetworkFactory.CreateGenerator(spec, initRandom), alter),
            new OGanCritic(spec, scoreHead: true, initRandom), CPU, new List<GanTrainingRecord>()));
    }
}
