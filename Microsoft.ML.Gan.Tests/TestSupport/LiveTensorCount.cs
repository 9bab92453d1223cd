using System;
using System.Collections.Generic;
using NUnit.Framework;
using TorchSharp;

namespace Microsoft.ML.Gan.Tests.TestSupport;

/// <summary>
/// Checks that training leaks no tensor. At each of a run's three log points (steps 50, 100, 150) the live count is read
/// before and after a full garbage collection. The collection removes tensors that earlier code (network construction)
/// left to the finalizer, so the next reading starts clean: a step that leaks, reachable or not, makes the next reading
/// before collection exceed the last one after it.
/// </summary>
internal static class LiveTensorCount
{
    /// <param name="mlContext">The context whose log announces the steps.</param>
    /// <param name="train">Trains with LogEveryNSteps = 50 and MaxSteps = 150, and disposes its model.</param>
    public static void AssertFlatAcrossLogPoints(MLContext mlContext, Action train)
    {
        var beforeCollection = new List<long>();
        var afterCollection = new List<long>();
        mlContext.Log += (_, e) =>
        {
            if (e.RawMessage.StartsWith("step ", StringComparison.Ordinal))
            {
                beforeCollection.Add(torch.Tensor.TotalCount);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                afterCollection.Add(torch.Tensor.TotalCount);
            }
        };

        train();

        Assert.That(beforeCollection, Has.Count.EqualTo(3));
        Assert.That(beforeCollection[1], Is.EqualTo(afterCollection[0]), "tensors were created and not disposed between step 50 and step 100");
        Assert.That(beforeCollection[2], Is.EqualTo(afterCollection[1]), "tensors were created and not disposed between step 100 and step 150");
        Assert.That(afterCollection[2], Is.EqualTo(afterCollection[1]), "live tensors grew between step 100 and step 150");
    }
}
