using System;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Torch;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// The switch that lets training and generation go on without libtorch's oneDNN convolutions on CPUs where they return
/// NaN or wrong values (measured for the ResNet on an AVX-512 VM): it must switch oneDNN off and back, compute the same
/// networks, and take an eval-mode output as oneDNN's fault only when the pass without it is finite and differs.
/// </summary>
[TestFixture]
[NonParallelizable]
public class OneDnnConvolutionsTests
{
    [SetUp]
    [TearDown]
    public void BackToOneDnn() => OneDnnConvolutions.ResetForTests();

    [Test]
    public void ForcedScopeSwitchesOneDnnOffAndRestoresWhatItWas()
    {
        Assert.That(OneDnnConvolutions.IsAvailable, Is.True, "libtorch_cpu's at::Context::setUserEnabledMkldnn should be found on Linux x64");
        Assert.That(OneDnnConvolutions.Enabled, Is.True);
        using (OneDnnConvolutions.Scope(force: true))
        {
            Assert.That(OneDnnConvolutions.Enabled, Is.False);
            using (OneDnnConvolutions.Scope(force: true))
            {
                Assert.That(OneDnnConvolutions.Enabled, Is.False);
            }
            Assert.That(OneDnnConvolutions.Enabled, Is.False, "an inner scope must restore the outer scope's setting");
        }
        Assert.That(OneDnnConvolutions.Enabled, Is.True);
        using (OneDnnConvolutions.Scope())
        {
            Assert.That(OneDnnConvolutions.Enabled, Is.True, "an unforced scope changes nothing until oneDNN is avoided");
        }
    }

    [Test]
    public void NetworksComputeTheSameWithoutOneDnn()
    {
        using var scope = NewDisposeScope();
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(3, 32, 32), 16);
        using var init = new Generator(3);
        var generator = GanNetworkFactory.CreateGenerator(spec, init);
        var discriminator = GanNetworkFactory.CreateDiscriminator(spec, init);
        Tensor latents = randn(new long[] { 8, spec.LatentDimension }, generator: init);

        (Tensor Images, Tensor Gradient) Pass()
        {
            Tensor images = generator.call(latents);
            Tensor score = discriminator.call(images).sum();
            return (images, autograd.grad(new[] { score }, generator.parameters().Take(1).ToArray<Tensor>())[0]);
        }

        (Tensor withImages, Tensor withGradient) = Pass();
        Tensor withoutImages, withoutGradient;
        using (OneDnnConvolutions.Scope(force: true))
        {
            (withoutImages, withoutGradient) = Pass();
        }

        Assert.That(withImages.allclose(withoutImages, rtol: 1e-4, atol: 1e-5), Is.True);
        Assert.That(withGradient.allclose(withoutGradient, rtol: 1e-3, atol: 1e-5), Is.True);
    }

    [Test]
    public void NonFiniteEvalOutputIsRecomputedWithoutOneDnnWhichThenStaysOff()
    {
        using var scope = NewDisposeScope();
        Tensor input = ones(4);

        Tensor output = OneDnnConvolutions.Forward(input, training: false, () => FaultyOnlyWithOneDnn(input));

        Assert.That(output.isfinite().all().item<bool>(), Is.True);
        Assert.That(OneDnnConvolutions.Avoided, Is.True);
        using (OneDnnConvolutions.Scope())
        {
            Assert.That(OneDnnConvolutions.Enabled, Is.False, "once avoided, every scope switches oneDNN off");
        }
        Assert.That(OneDnnConvolutions.Enabled, Is.True);
    }

    [Test]
    public void NonFiniteOutputIsKeptWhenOneDnnIsNotToBlame()
    {
        using var scope = NewDisposeScope();
        Tensor input = ones(4);

        Tensor training = OneDnnConvolutions.Forward(input, training: true, () => FaultyOnlyWithOneDnn(input));
        Tensor alwaysNaN = OneDnnConvolutions.Forward(input, training: false, () => full(4, double.NaN));
        Tensor nanInput = full(4, double.NaN);
        Tensor fromNaNInput = OneDnnConvolutions.Forward(nanInput, training: false, () => FaultyOnlyWithOneDnn(nanInput));

        Assert.That(training.isnan().all().item<bool>(), Is.True, "training mode is the kernel check's concern, not the forward's");
        Assert.That(alwaysNaN.isnan().all().item<bool>(), Is.True);
        Assert.That(fromNaNInput.isnan().all().item<bool>(), Is.True);
        Assert.That(OneDnnConvolutions.Avoided, Is.False);
    }

    [Test]
    public void FirstEvalPassThatDisagreesWithoutOneDnnSwitchesItOff()
    {
        using var scope = NewDisposeScope();
        Tensor input = ones(4);

        // Finite but wrong with oneDNN, as the faulty kernels also are at times.
        Tensor output = OneDnnConvolutions.Forward(input, training: false, () => input * (OneDnnConvolutions.Enabled == true ? 3 : 2));

        Assert.That(output.allclose(input * 2), Is.True, "the result computed without oneDNN is returned");
        Assert.That(OneDnnConvolutions.Avoided, Is.True);
    }

    [Test]
    public void AgreeingFirstPassTrustsOneDnnAndLaterPassesAreNotRecomputed()
    {
        using var scope = NewDisposeScope();
        Tensor input = ones(4);
        int calls = 0;

        OneDnnConvolutions.Forward(input, training: false, () => { calls++; return input * 2; });
        int firstPassCalls = calls;
        Tensor later = OneDnnConvolutions.Forward(input, training: false, () => { calls++; return input * (OneDnnConvolutions.Enabled == true ? 3 : 2); });

        Assert.That(firstPassCalls, Is.EqualTo(2), "the first eval pass is computed with oneDNN and without it");
        Assert.That(calls, Is.EqualTo(3), "once trusted, a finite pass is computed once");
        Assert.That(later.allclose(input * 3), Is.True);
        Assert.That(OneDnnConvolutions.Avoided, Is.False);
    }

    // What the faulty kernels do: NaN with oneDNN on, the right answer with it off.
    private static Tensor FaultyOnlyWithOneDnn(Tensor input) => OneDnnConvolutions.Enabled == true ? full_like(input, double.NaN) : input * 2;
}
