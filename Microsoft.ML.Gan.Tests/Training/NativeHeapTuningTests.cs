using System;
using System.Collections.Generic;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training;

public class NativeHeapTuningTests
{
    private static readonly Func<string, string?> EmptyEnvironment = _ => null;

    [Test]
    public void OnLinuxSetsTheMmapAndTrimThresholds()
    {
        var calls = new List<(int Parameter, int Value)>();

        string outcome = NativeHeapTuning.Apply(isLinux: true, EmptyEnvironment, optedOut: false, (parameter, value) =>
        {
            calls.Add((parameter, value));
            return true;
        });

        Assert.That(calls, Is.EqualTo(new[] { (-3, 32 << 20), (-1, 256 << 20) }));
        Assert.That(outcome, Does.Contain("mmap threshold 32 MiB, trim threshold 256 MiB"));
    }

    [TestCase("MALLOC_MMAP_THRESHOLD_")]
    [TestCase("MALLOC_TRIM_THRESHOLD_")]
    [TestCase("GLIBC_TUNABLES")]
    public void LeavesTheHeapAloneWhenTheApplicationSetItsOwnThresholds(string variable)
    {
        string outcome = NativeHeapTuning.Apply(isLinux: true, name => name == variable ? "65536" : null, optedOut: false,
            (_, _) => throw new InvalidOperationException("mallopt must not be called"));

        Assert.That(outcome, Is.EqualTo($"native heap: left as is ({variable} is set)"));
    }

    [Test]
    public void TheAppContextSwitchAndOtherSystemsLeaveTheHeapAlone()
    {
        Func<int, int, bool> forbidden = (_, _) => throw new InvalidOperationException("mallopt must not be called");

        Assert.That(NativeHeapTuning.Apply(isLinux: true, EmptyEnvironment, optedOut: true, forbidden), Does.Contain(NativeHeapTuning.OptOutSwitch));
        Assert.That(NativeHeapTuning.Apply(isLinux: false, EmptyEnvironment, optedOut: false, forbidden), Is.EqualTo("native heap: left as is (not Linux)"));
    }

    [Test]
    public void ARefusalOrAMissingGlibcIsReportedNotThrown()
    {
        Assert.That(NativeHeapTuning.Apply(isLinux: true, EmptyEnvironment, optedOut: false, (_, _) => false),
            Is.EqualTo("native heap: left as is (mallopt refused the thresholds)"));
        Assert.That(NativeHeapTuning.Apply(isLinux: true, EmptyEnvironment, optedOut: false, (_, _) => throw new DllNotFoundException("libc.so.6")),
            Is.EqualTo("native heap: left as is (no glibc mallopt)"));
    }

    [Test]
    public void ThisProcessTrainsWithTheThresholdsApplied()
    {
        // The test host sets none of the variables, so glibc's real mallopt must have accepted both values.
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") != null ||
            Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") != null || Environment.GetEnvironmentVariable("GLIBC_TUNABLES") != null)
        {
            Assert.Ignore("The environment chooses malloc's thresholds itself.");
        }

        Assert.That(NativeHeapTuning.Ensure(), Does.StartWith("native heap: malloc mmap threshold"));
    }

    [Test]
    public void LoadingAModelTellsTheAppAboutTheHeapSettingOnItsLog()
    {
        var training = new MLContext(seed: 1);
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gan-heap-log-{Guid.NewGuid():N}.zip");
        using (GanTransformer model = TrainedModels.Dcgan(training, steps: 1))
        {
            training.Model.Save(model, SyntheticModes.Create(training, 1).Schema, path);
        }
        var loading = new MLContext(seed: 1);
        var messages = new List<string>();
        loading.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info)
            {
                messages.Add(e.RawMessage);
            }
        };
        try
        {
            loading.Gan();
            ((IDisposable)loading.Model.Load(path, out _)).Dispose();
        }
        finally
        {
            System.IO.File.Delete(path);
        }

        Assert.That(messages, Has.Some.EqualTo(NativeHeapTuning.Ensure()));
    }
}
