using System;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Networks;

[TestFixture]
public sealed class TensorLeakTests
{
    // One D step (loss + gradient penalty) and one G step per scope, as the training loop will do them.
    [TestCase(GanArchitecture.Mlp, GanLoss.NonSaturating, false)]
    [TestCase(GanArchitecture.Dcgan, GanLoss.WassersteinGradientPenalty, true)]
    [TestCase(GanArchitecture.Dcgan, GanLoss.Hinge, false)]
    public void TrainingStepsLeaveNoLiveTensors(GanArchitecture architecture, GanLoss lossKind, bool spectralNormalization)
    {
        var spec = new NetworkSpec(architecture, new ImageShape(1, 8, 8), 16, SpectralNormalization: spectralNormalization, DiscriminatorBatchNorm: !spectralNormalization);
        using var random = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, random);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, random);
        var loss = AdversarialLoss.Create(lossKind);

        void Step()
        {
            using var scope = torch.NewDisposeScope();
            var real = torch.rand(new long[] { 4, 1, 8, 8 }, generator: random) * 2 - 1;
            var fake = generator.forward(torch.randn(new long[] { 4, 16 }, generator: random));

            var dLoss = loss.DiscriminatorLoss(discriminator.forward(real), discriminator.forward(fake.detach()));
            if (lossKind == GanLoss.WassersteinGradientPenalty)
            {
                dLoss = dLoss + 10 * GradientPenalty.Compute(discriminator, real, fake, random);
            }

            dLoss.backward();
            loss.GeneratorLoss(discriminator.forward(fake)).backward();
        }

        Step(); // the first backward allocates the .grad tensors, which then stay
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = torch.Tensor.TotalCount;

        for (int i = 0; i < 10; i++)
        {
            Step();
        }

        Assert.That(torch.Tensor.TotalCount, Is.EqualTo(before));
    }

    [Test]
    public void EvalForwardLeavesNoLiveTensors()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 8, 8), 16, SpectralNormalization: true);
        using var random = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, random);
        using var discriminator = GanNetworkFactory.CreateDiscriminator(spec, random);
        generator.eval();
        discriminator.eval();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = torch.Tensor.TotalCount;

        for (int i = 0; i < 10; i++)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            discriminator.forward(generator.forward(torch.randn(new long[] { 2, 16 }, generator: random)));
        }

        Assert.That(torch.Tensor.TotalCount, Is.EqualTo(before));
    }
}
