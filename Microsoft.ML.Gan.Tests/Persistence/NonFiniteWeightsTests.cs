using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>No model with NaN or infinite weights is saved or loaded, whatever its kind.</summary>
[TestFixture]
public class NonFiniteWeightsTests
{
    private readonly MLContext _mlContext = new(seed: 1);

    private static IEnumerable<string> Kinds => UntrainedModels.Kinds;

    [TestCaseSource(nameof(Kinds))]
    public void SavingNaNOrInfiniteWeightsIsRefusedNamingTheNetworkAndTensor(string kind)
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity })
        {
            ITransformer model = UntrainedModels.Create(_mlContext, kind, module => Poison(module, bad));
            using var stream = new MemoryStream();

            Exception? error = Assert.Catch(() => _mlContext.Model.Save(model, null, stream));
            (model as IDisposable)?.Dispose();

            Exception own = Chain(error!).First(e => e.Message.Contains("NaN"));
            Assert.That(own, Is.TypeOf<InvalidOperationException>());
            string network = kind switch { "Classifier" => "image classifier", "DiscriminatorFeatures" => "discriminator", _ => "generator" };
            Assert.That(own.Message, Does.Contain($"The {network}'s tensor '{FirstTensor(kind)}' holds NaN or infinite values, so the model was not saved"));
        }
    }

    [TestCaseSource(nameof(Kinds))]
    public void LoadingNaNWeightsIsRefused(string kind)
    {
        // A first weight no initialisation draws, found again in the saved bytes and replaced with NaN.
        const float marker = 12345.678f;
        ITransformer model = UntrainedModels.Create(_mlContext, kind, module => Poison(module, marker));
        byte[] zip = ModelZip.Save(_mlContext, model);
        (model as IDisposable)?.Dispose();
        byte[] poisoned = ModelZip.WithPayload(zip, payload =>
        {
            int at = payload.AsSpan().IndexOf(BitConverter.GetBytes(marker));
            Assert.That(at, Is.GreaterThan(0));
            BitConverter.GetBytes(float.NaN).CopyTo(payload, at);
            return payload;
        });

        Exception? error = Assert.Catch(() => (ModelZip.Load(poisoned, _mlContext) as IDisposable)?.Dispose());

        Exception? explained = MlNetBridge.ExplainLoadFailure(error!);
        Assert.That(explained, Is.TypeOf<InvalidDataException>(), error!.ToString());
        Assert.That(explained!.Message, Does.Contain("tensor '" + FirstTensor(kind) + "' holds NaN or infinite values"));
    }

    private static string FirstTensor(string kind) => kind switch
    {
        "Classifier" or "DiscriminatorFeatures" => "features.conv1.weight",
        "Dcgan" => "project.fc.weight",
        "Conditional" => "generator.layers.fc1.weight",
        _ => "layers.fc1.weight",
    };

    private static void Poison(nn.Module module, float value)
    {
        using var noGrad = no_grad();
        module.parameters().First().view(-1)[0] = value;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            yield return current;
    }
}
