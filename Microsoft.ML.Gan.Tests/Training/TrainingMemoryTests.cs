using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// Absurd BatchSize, LatentDimension or image sizes are refused up front, naming the option and the memory needed,
/// instead of reaching libtorch; what still reaches it becomes one line without C++ frames.
/// </summary>
[TestFixture]
public sealed class TrainingMemoryTests
{
    private const double HundredMegabytes = 100e6;

    [Test]
    public void LatentDimensionTooLargeIsRefusedBeforeAnyRowIsRead()
    {
        var options = new GanTrainer.Options { ImageColumnName = "Image", LatentDimension = 100_000_000 };

        var error = Assert.Throws<ArgumentException>(() => new MLContext(1).Gan().Trainers.Gan(options).Fit(RowsThatMustNotBeRead(1, 28, 28)).Dispose())!;

        Assert.That(error.ParamName, Is.EqualTo(nameof(GanTrainer.Options.LatentDimension)));
        Assert.That(error.Message, Does.StartWith("LatentDimension 100000000 would need about 10 TB for the 6.272e+11 weights of the Dcgan generator and discriminator"));
        Assert.That(error.Message, Does.Contain("this machine has").And.Contain("Lower LatentDimension"));
    }

    [Test]
    public void OGanRefusesTooLargeALatentToo()
    {
        var options = new OGanTrainer.Options { ImageColumnName = "Image", LatentDimension = 100_000_000 };

        var error = Assert.Throws<ArgumentException>(() => new MLContext(1).Gan().Trainers.OGan(options).Fit(RowsThatMustNotBeRead(1, 28, 28)).Dispose())!;

        Assert.That(error.ParamName, Is.EqualTo(nameof(GanTrainer.Options.LatentDimension)));
    }

    [Test]
    public void HugeImagesAreBlamedNotTheUsualLatent()
    {
        var options = new GanTrainer.Options { ImageColumnName = "Image", Architecture = GanArchitecture.Mlp };

        var error = Assert.Throws<ArgumentException>(() => new MLContext(1).Gan().Trainers.Gan(options).Fit(RowsThatMustNotBeRead(3, 20000, 20000)).Dispose())!;

        Assert.That(error.ParamName, Is.EqualTo("input"));
        Assert.That(error.Message, Does.StartWith("Images of 3x20000x20000 in column 'Image' would need about 6.2 TB"));
    }

    [Test]
    public void BatchSizeThatDoesNotFitNamesItAndWhatFits()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 28, 28), 100);
        var options = new GanTrainer.Options { BatchSize = 1000 };

        var error = Assert.Throws<ArgumentException>(() => TrainingMemory.Require(spec, options, Rows(5000), HundredMegabytes))!;

        Assert.That(error.ParamName, Is.EqualTo(nameof(GanTrainer.Options.BatchSize)));
        Assert.That(error.Message, Does.Match(
            @"^BatchSize 1000 would need about 4\d\d MB for one batch of 28×28 images \(408 KB per image through the Dcgan generator and discriminator\); this machine has 100 MB of memory\. Lower BatchSize \(at most about 2\d\d fits\)\."));
    }

    [Test]
    public void BatchSizeIsCappedAtTheRowCountAsTrainingCapsIt()
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(1, 28, 28), 100);

        Assert.DoesNotThrow(() => TrainingMemory.Require(spec, new GanTrainer.Options { BatchSize = 100_000_000 }, Rows(3), HundredMegabytes));
        var error = Assert.Throws<ArgumentException>(() => TrainingMemory.Require(spec, new GanTrainer.Options { BatchSize = 100_000_000 }, Rows(500), HundredMegabytes))!;
        Assert.That(error.Message, Does.Contain("for one batch (the 500 rows of the data) of 28×28 images"));
    }

    [Test]
    public void NetworkTooLargeForLibTorchIsOneLineNamingTheSizes()
    {
        // 2^31 − 1 latent values into a 512×64×64 start map: one 18 PB weight, beyond any address space.
        var spec = new NetworkSpec(GanArchitecture.Dcgan, new ImageShape(3, 2048, 2048), int.MaxValue);
        using var init = new torch.Generator(1);

        var error = Assert.Throws<InsufficientMemoryException>(() => GanNetworkFactory.CreateGenerator(spec, init).Dispose())!;

        Assert.That(error.Message, Does.StartWith("Building the Dcgan generator for LatentDimension 2147483647 and 3x2048x2048 images"));
        Assert.That(error.Message, Does.Contain("libtorch could not allocate 18 PB at once").And.Not.Contain("frame #").And.Not.Contain("\n"));
        Assert.That(error.InnerException, Is.InstanceOf<ExternalException>());
    }

    private static IDataView Rows(int count) =>
        new MLContext(1).Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(_ => new TextRow { Text = "x" }));

    /// <summary>Data whose schema has an image column of the given size and whose rows fail the test if enumerated.</summary>
    private static IDataView RowsThatMustNotBeRead(int channels, int height, int width)
    {
        var mlContext = new MLContext(1);
        SchemaDefinition schema = SchemaDefinition.Create(typeof(ImageRow));
        schema[nameof(ImageRow.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, channels, height, width);
        return mlContext.Data.LoadFromEnumerable(NoRows(), schema);
    }

    private static IEnumerable<ImageRow> NoRows()
    {
        Assert.Fail("the data was read");
        yield break;
    }

    private sealed class ImageRow
    {
        public float[] Image { get; set; } = Array.Empty<float>();
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = string.Empty;
    }
}
