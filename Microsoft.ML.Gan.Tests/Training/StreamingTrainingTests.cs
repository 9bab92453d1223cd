using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using Microsoft.ML.Gan.Tests.Training.Checkpoints;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using Microsoft.ML.Gan.Training.Checkpoints;
using Microsoft.ML.Transforms.Image;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// Training data streamed from the IDataView (<see cref="TrainingDataMode.Streaming"/>): it trains every game, is
/// reproducible and resumable, keeps labels with their images, reports bad rows by position, stops its reader on
/// cancellation, and leaks no tensors. <see cref="TrainingDataMode.Auto"/> picks it above the size limit.
/// </summary>
[TestFixture]
public class StreamingTrainingTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "gan-stream-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void StreamedTrainingLearnsTheModes()
    {
        var mlContext = new MLContext(seed: 1);
        var options = new GanTrainer.Options
        {
            Architecture = GanArchitecture.Dcgan, LatentDimension = 16, MaxSteps = 600, Epochs = 10_000, Seed = 2,
            GeneratorLearningRate = 5e-4, DiscriminatorLearningRate = 5e-4,
            DataLoading = TrainingDataMode.Streaming, ShufflePoolSize = 100, PrefetchBatches = 2,
        };
        using GanTransformer model = mlContext.Gan().Trainers.Gan(options).Fit(SyntheticModes.Create(mlContext, 512));
        List<float[]> images = GeneratedImages.ReadGray(model.Generate(200, seed: 3));
        var nearest = images.Select(image => SyntheticModes.Nearest(image)).ToList();
        double near = nearest.Count(n => n.Distance < 1.6) / 200.0;
        int modes = nearest.Where(n => n.Distance < 1.6).Select(n => n.Mode).Distinct().Count();
        TestContext.Out.WriteLine($"near a mode: {near:P0}, modes drawn: {modes}");
        Assert.That(near, Is.GreaterThanOrEqualTo(0.5));
        Assert.That(modes, Is.EqualTo(SyntheticModes.Patterns.Length));
    }

    [TestCase(TrainerKind.Gan)]
    [TestCase(TrainerKind.OGan)]
    [TestCase(TrainerKind.Conditional)]
    public void EveryTrainerTrainsOnStreamedDataReproducibly(TrainerKind kind)
    {
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) first = Train(kind, seed: 3);
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) second = Train(kind, seed: 3);
        (List<float[]> images, _) = Train(kind, seed: 4);
        Assert.That(first.history, Has.Count.EqualTo(2).And.All.Matches<GanTrainingRecord>(r => float.IsFinite(r.DiscriminatorLoss) && float.IsFinite(r.GeneratorLoss)));
        Assert.That(second.images, Is.EqualTo(first.images));
        Assert.That(second.history, Is.EqualTo(first.history));
        Assert.That(images, Is.Not.EqualTo(first.images));
    }

    [Test]
    public void AutoBelowTheLimitTrainsExactlyAsInMemory()
    {
        static List<float[]> Run(TrainingDataMode mode)
        {
            var mlContext = new MLContext(seed: 1);
            using GanTransformer model = mlContext.Gan().Trainers.Gan(new GanTrainer.Options
            {
                Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 16, MaxSteps = 12, Epochs = 100, Seed = 5, DataLoading = mode,
            }).Fit(SyntheticModes.Create(mlContext, 64));
            return GeneratedImages.ReadGray(model.Generate(8, seed: 1));
        }
        Assert.That(Run(TrainingDataMode.Auto), Is.EqualTo(Run(TrainingDataMode.InMemory)));
        Assert.That(Run(TrainingDataMode.Streaming), Is.Not.EqualTo(Run(TrainingDataMode.InMemory)));
    }

    [Test]
    public void AutoStreamsOnlyAboveMaxInMemoryBytes()
    {
        var shape = new ImageShape(1, 8, 8);
        const long bytes = 100 * 64 * sizeof(float);
        Assert.That(DataLoadingPlan.Choose(TrainingDataMode.Auto, 100, shape, bytes).Streams, Is.False);
        Assert.That(DataLoadingPlan.Choose(TrainingDataMode.Auto, 100, shape, bytes - 1).Streams, Is.True);
        Assert.That(DataLoadingPlan.Choose(TrainingDataMode.InMemory, 100, shape, 0).Streams, Is.False);
        Assert.That(DataLoadingPlan.Choose(TrainingDataMode.Streaming, 100, shape, long.MaxValue).Streams, Is.True);
        Assert.That(DataLoadingPlan.Choose(TrainingDataMode.Auto, 100, shape, bytes - 1).Reason, Does.Contain("MaxInMemoryBytes 25599").And.Contain("streamed"));

        var mlContext = new MLContext(seed: 1);
        var log = new List<string>();
        mlContext.Log += (_, e) => log.Add(e.RawMessage);
        mlContext.Gan().Trainers.Gan(new GanTrainer.Options
        {
            Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 8, MaxSteps = 2, Seed = 1, MaxInMemoryBytes = 1,
        }).Fit(SyntheticModes.Create(mlContext, 16)).Dispose();
        Assert.That(log, Has.Some.StartsWith("Training data: 16 images of 1x8x8 (0.0 MiB as floats) > MaxInMemoryBytes 1"));
        Assert.That(log, Has.Some.StartsWith("Streaming: a shuffle pool of 16 rows"));
    }

    /// <remarks>
    /// 256 rows in batches of 32 make 8 batches an epoch, and a pool of 40 rows keeps the order's dependence on the
    /// pool's state: checkpoint 10 is batch 2 of epoch 2, so the resumed run must replay epoch 2's order and skip two batches.
    /// </remarks>
    [Test]
    public void StreamedRunResumedMidEpochEndsIdenticalToAnUninterruptedRun()
    {
        string whole = Path.Combine(_folder, "whole"), resumed = Path.Combine(_folder, "resumed");
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) expected = CheckpointResumeTests.Train(ResumeOptions(whole));
        Directory.CreateDirectory(resumed);
        string middle = Path.Combine(resumed, "checkpoint-00000010.gancheckpoint");
        File.Copy(Path.Combine(whole, "checkpoint-00000010.gancheckpoint"), middle);
        var payload = new BinaryReader(new MemoryStream(CheckpointFile.Read(middle)));
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Read(payload, middle);
        Assert.That((checkpoint.Epoch, checkpoint.Batch), Is.EqualTo((2, 2L)));

        GanTrainer.Options options = ResumeOptions(resumed);
        options.ResumeFrom = middle;
        (List<float[]> images, IReadOnlyList<GanTrainingRecord> history) actual = CheckpointResumeTests.Train(options);

        Assert.That(CheckpointFile.Read(CheckpointResumeTests.Newest(resumed)), Is.EqualTo(CheckpointFile.Read(CheckpointResumeTests.Newest(whole))));
        Assert.That(actual.images, Is.EqualTo(expected.images));
        Assert.That(actual.history, Is.EqualTo(expected.history));
    }

    /// <remarks>8 batches an epoch: the run of 16 updates ends exactly at the end of epoch 2, where its final checkpoint is written.</remarks>
    [TestCase(TrainingDataMode.InMemory)]
    [TestCase(TrainingDataMode.Streaming)]
    public void RunResumedFromAFinalCheckpointAtAnEpochEndContinuesExactly(TrainingDataMode mode)
    {
        GanTrainer.Options Options(string directory, int steps)
        {
            GanTrainer.Options options = ResumeOptions(directory);
            (options.DataLoading, options.MaxSteps, options.CheckpointEveryNSteps) = (mode, steps, 100);
            return options;
        }
        string whole = Path.Combine(_folder, "whole"), parts = Path.Combine(_folder, "parts");
        (List<float[]> images, _) = CheckpointResumeTests.Train(Options(whole, 24));
        CheckpointResumeTests.Train(Options(parts, 16));
        GanTrainer.Options rest = Options(parts, 24);
        rest.ResumeFrom = CheckpointResumeTests.Newest(parts);
        Assert.That(CheckpointResumeTests.Train(rest).Images, Is.EqualTo(images));
    }

    [Test]
    public void CheckpointOfAnInMemoryRunIsNotResumedStreaming()
    {
        GanTrainer.Options inMemory = ResumeOptions(_folder);
        (inMemory.DataLoading, inMemory.MaxSteps) = (TrainingDataMode.InMemory, 10);
        CheckpointResumeTests.Train(inMemory);
        GanTrainer.Options streamed = ResumeOptions(_folder);
        streamed.ResumeFrom = _folder;
        var error = Assert.Throws<ArgumentException>(() => CheckpointResumeTests.Train(streamed));
        Assert.That(error!.Message, Does.Contain("DataLoading: checkpoint InMemory, now Streaming"));
    }

    [Test]
    public void ImageOfAnotherSizeMidStreamNamesItsRow()
    {
        var mlContext = new MLContext(seed: 1);
        ImageRow[] rows = Enumerable.Range(0, 64).Select(i => new ImageRow { Image = Gray(i == 60 ? 10 : 8, 8, 100) }).ToArray();
        int steps = 0;
        GanTrainer.Options options = StreamingOptions(o =>
        {
            (o.BatchSize, o.ShufflePoolSize, o.PrefetchBatches) = (4, 4, 1);
            o.ProgressCallback = p => steps = p.Step;
        });
        var error = Assert.Throws<InvalidOperationException>(() => mlContext.Gan().Trainers.Gan(options).Fit(mlContext.Data.LoadFromEnumerable(rows)));
        Assert.That(error!.Message, Does.Contain("Row 60 of column 'Image' is a 8x10 image but the images are 8x8"));
        Assert.That(steps, Is.GreaterThan(0), "the row should be found while training, by the streaming reader");
        foreach (ImageRow row in rows)
        {
            row.Image.Dispose();
        }
    }

    [Test]
    public void MissingValueIsNamedBeforeStreamedTrainingStarts()
    {
        var mlContext = new MLContext(seed: 1);
        List<LabelledModes.Row> rows = LabelledModes.Rows(64, seed: 1);
        rows[37].Image[5] = float.NaN;
        bool trained = false;
        GanTrainer.Options options = StreamingOptions(o => o.ProgressCallback = _ => trained = true);
        var error = Assert.Throws<InvalidOperationException>(() => mlContext.Gan().Trainers.Gan(options).Fit(LabelledModes.View(mlContext, rows)));
        Assert.That(error!.Message, Does.Contain("Row 37 of column 'Image' holds the value NaN"));
        Assert.That(trained, Is.False);
    }

    [TestCase(0, typeof(InvalidOperationException), "has no rows")]
    [TestCase(1, typeof(ArgumentException), "holds 1 image(s); a GAN needs at least 2")]
    public void TooFewImagesAreRejectedBeforeStreaming(int count, Type exception, string message)
    {
        var mlContext = new MLContext(seed: 1);
        var error = Assert.Throws(exception, () => mlContext.Gan().Trainers.Gan(StreamingOptions()).Fit(SyntheticModes.Create(mlContext, count)));
        Assert.That(error!.Message, Does.Contain(message));
    }

    /// <remarks>
    /// Rows take 3 ms each to enumerate, so the reader is busy (or the step waits for it) when the callback cancels; after
    /// Fit has thrown, no further row is read: the reader has stopped and its thread has been joined.
    /// </remarks>
    [Test]
    public void CancellationStopsTheStreamingReaderPromptly()
    {
        var mlContext = new MLContext(seed: 1);
        var slow = new SlowRows(LabelledModes.Rows(400, seed: 1), TimeSpan.FromMilliseconds(3));
        var clock = new Stopwatch();
        GanTrainer.Options options = StreamingOptions(o =>
        {
            (o.MaxSteps, o.Epochs, o.BatchSize, o.ShufflePoolSize) = (10_000, 1000, 8, 16);
            o.ProgressCallback = p =>
            {
                if (p.Step == 3 && !clock.IsRunning)
                {
                    clock.Start();
                    mlContext.Gan().CancelExecution();
                }
            };
        });

        Assert.Throws<OperationCanceledException>(() => mlContext.Gan().Trainers.Gan(options).Fit(LabelledModes.View(mlContext, slow)));
        clock.Stop();
        long readWhenStopped = slow.Read;
        Thread.Sleep(300);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(slow.Read, Is.EqualTo(readWhenStopped), "rows were read after Fit returned");
        Assert.That(readWhenStopped, Is.LessThan(3 * 400), "the reader went on to the end of the data");
    }

    /// <remarks>Class k's images are all the constant k / 3, so a batch's labels can be checked against its pixels.</remarks>
    [Test]
    public void ConditionalStreamingKeepsEachLabelWithItsImage()
    {
        var mlContext = new MLContext(seed: 1);
        List<LabelledModes.Row> rows = Enumerable.Range(0, 60)
            .Select(i => new LabelledModes.Row { Image = Enumerable.Repeat((i * 7 % 4) / 3f, SyntheticModes.PixelCount).ToArray(), Label = i * 7 % 4 })
            .ToList();
        IDataView data = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(LabelledModes.View(mlContext, rows)).Transform(LabelledModes.View(mlContext, rows));
        ImageColumnReader images = ImageColumnReader.Create(data.Schema, "Image", grayscale: false);
        images.LearnInputScale(data);
        LabelColumnReader labels = LabelColumnReader.Create(data.Schema, "Label");
        var options = new ConditionalGanTrainer.Options { BatchSize = 8, ShufflePoolSize = 20, PrefetchBatches = 2 };
        using var source = new StreamingBatchSource(data, images, labels, 60, labels.CountClasses(data), options, CPU, () => false);

        var seen = new List<long>();
        source.StartEpoch(seed: 9, firstBatch: 0);
        for (long b = 0; b < source.BatchesPerEpoch; b++)
        {
            using var scope = NewDisposeScope();
            TrainingBatch batch = source.Batch(b);
            float[] firstPixels = batch.Images.select(1, 0).select(1, 0).select(1, 0).data<float>().ToArray();
            long[] keys = batch.Labels!.data<long>().ToArray();
            // MapValueToKey numbers labels in order of appearance: 0, 3, 2, 1 for i * 7 % 4.
            long[] expectedClasses = firstPixels.Select(v => (long)Math.Round((v + 1) / 2 * 3)).Select(k => (long)Array.IndexOf(new long[] { 0, 3, 2, 1 }, k)).ToArray();
            Assert.That(keys, Is.EqualTo(expectedClasses), $"batch {b}");
            Assert.That(batch.Images.amax(new long[] { 1, 2, 3 }).data<float>().ToArray(), Is.EqualTo(batch.Images.amin(new long[] { 1, 2, 3 }).data<float>().ToArray()));
            seen.AddRange(keys);
        }
        source.EndEpoch();
        Assert.That(source.BatchesPerEpoch, Is.EqualTo(7));
        Assert.That(seen, Has.Count.EqualTo(56));
        Assert.That(seen.Distinct().Count(), Is.EqualTo(4));
    }

    /// <remarks>As TrainingDeterminismAndMemoryTests' in-memory check, streamed (<see cref="LiveTensorCount"/>).</remarks>
    [Test]
    public void LiveTensorCountStaysFlatWhileStreaming()
    {
        var mlContext = new MLContext(seed: 1);
        LiveTensorCount.AssertFlatAcrossLogPoints(mlContext, () =>
        {
            using ConditionalGanTransformer model = mlContext.Gan().Trainers.ConditionalGan(new ConditionalGanTrainer.Options
            {
                Architecture = GanArchitecture.Dcgan, Loss = GanLoss.WassersteinGradientPenalty, LatentDimension = 8, BatchSize = 16,
                MaxSteps = 150, Epochs = 1000, LogEveryNSteps = 50, DataLoading = TrainingDataMode.Streaming, ShufflePoolSize = 24,
            }).Fit(SyntheticModes.CreateLabelled(mlContext, 72));
        });
    }

    public enum TrainerKind
    {
        Gan,
        OGan,
        Conditional,
    }

    private static (List<float[]> Images, IReadOnlyList<GanTrainingRecord> History) Train(TrainerKind kind, int seed)
    {
        var mlContext = new MLContext(seed: 1);
        void Configure(GanTrainer.Options o)
        {
            (o.Architecture, o.LatentDimension, o.BatchSize, o.MaxSteps, o.Epochs, o.LogEveryNSteps, o.Seed) = (GanArchitecture.Dcgan, 8, 16, 10, 100, 5, seed);
            (o.DataLoading, o.ShufflePoolSize, o.PrefetchBatches) = (TrainingDataMode.Streaming, 24, 2);
        }
        switch (kind)
        {
            case TrainerKind.OGan:
            {
                var options = new OGanTrainer.Options();
                Configure(options);
                using OGanTransformer model = mlContext.Gan().Trainers.OGan(options).Fit(SyntheticModes.Create(mlContext, 64));
                return (GeneratedImages.ReadGray(model.Generate(8, seed: 1)), model.TrainingHistory);
            }
            case TrainerKind.Conditional:
            {
                var options = new ConditionalGanTrainer.Options();
                Configure(options);
                using ConditionalGanTransformer model = mlContext.Gan().Trainers.ConditionalGan(options).Fit(SyntheticModes.CreateLabelled(mlContext, 64));
                return (GeneratedImages.ReadGray(model.Generate(2, "checker", seed: 1)), model.TrainingHistory);
            }
            default:
            {
                var options = new GanTrainer.Options();
                Configure(options);
                using GanTransformer model = mlContext.Gan().Trainers.Gan(options).Fit(SyntheticModes.Create(mlContext, 64));
                return (GeneratedImages.ReadGray(model.Generate(8, seed: 1)), model.TrainingHistory);
            }
        }
    }

    private static GanTrainer.Options ResumeOptions(string directory)
    {
        GanTrainer.Options options = KilledTrainingProcess.Options(directory);
        (options.DataLoading, options.ShufflePoolSize, options.MaxSteps, options.CheckpointEveryNSteps, options.KeepCheckpoints, options.LogEveryNSteps) =
            (TrainingDataMode.Streaming, 40, 20, 5, 10, 5);
        return options;
    }

    private static GanTrainer.Options StreamingOptions(Action<GanTrainer.Options>? configure = null)
    {
        var options = new GanTrainer.Options
        {
            Architecture = GanArchitecture.Mlp, LatentDimension = 4, BatchSize = 8, MaxSteps = 20, Epochs = 100, Seed = 1,
            DataLoading = TrainingDataMode.Streaming,
        };
        configure?.Invoke(options);
        return options;
    }

    private static MLImage Gray(int width, int height, byte value)
    {
        byte[] pixels = Enumerable.Range(0, width * height * 4).Select(i => i % 4 == 3 ? (byte)255 : value).ToArray();
        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, pixels);
    }

    private sealed class ImageRow
    {
        [ImageType(8, 8)]
        public MLImage Image { get; set; } = null!;
    }

    /// <summary>Rows that take a while to enumerate, counting how many have been read.</summary>
    private sealed class SlowRows : IEnumerable<LabelledModes.Row>
    {
        private readonly List<LabelledModes.Row> _rows;
        private readonly TimeSpan _delay;
        private long _read;

        public SlowRows(List<LabelledModes.Row> rows, TimeSpan delay) => (_rows, _delay) = (rows, delay);

        public long Read => Interlocked.Read(ref _read);

        public IEnumerator<LabelledModes.Row> GetEnumerator()
        {
            foreach (LabelledModes.Row row in _rows)
            {
                Thread.Sleep(_delay);
                Interlocked.Increment(ref _read);
                yield return row;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
