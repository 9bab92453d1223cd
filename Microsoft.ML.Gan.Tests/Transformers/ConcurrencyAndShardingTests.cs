using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Transformers;

/// <summary>
/// A fitted transformer used from many threads at once gives exactly the single-threaded results; disposing it under
/// a running reader gives an <see cref="ObjectDisposedException"/>; shards of one seed concatenate to one run.
/// </summary>
[TestFixture]
public class ConcurrencyAndShardingTests
{
    private const int Threads = 8;
    private MLContext _mlContext = null!;
    private GanTransformer _model = null!;

    [OneTimeSetUp]
    public void TrainOnce()
    {
        _mlContext = new MLContext(seed: 1);
        _model = TrainedModels.Dcgan(_mlContext);
    }

    [OneTimeTearDown]
    public void DisposeModel() => _model.Dispose();

    private static T[] OnManyThreads<T>(Func<int, T> work)
    {
        using var start = new Barrier(Threads);
        Task<T>[] tasks = Enumerable.Range(0, Threads)
            .Select(i => Task.Factory.StartNew(() => { start.SignalAndWait(); return work(i); }, TaskCreationOptions.LongRunning))
            .ToArray();
        return Task.WhenAll(tasks).GetAwaiter().GetResult();
    }

    [Test]
    public void ConcurrentGenerateMatchesSingleThreadedGenerate()
    {
        List<float[]>[] expected = Enumerable.Range(0, Threads).Select(i => GeneratedImages.ReadGray(_model.Generate(40, seed: i % 3))).ToArray();
        List<float[]>[] actual = OnManyThreads(i => GeneratedImages.ReadGray(_model.Generate(40, seed: i % 3)));
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void ConcurrentTransformMatchesSingleThreadedTransform()
    {
        IDataView images = _mlContext.Data.Cache(SyntheticModes.Create(_mlContext, 48));
        float[] expected = _model.Transform(images).GetColumn<float>("Score").ToArray();
        float[][] actual = OnManyThreads(_ => _model.Transform(images).GetColumn<float>("Score").ToArray());
        Assert.That(actual, Has.All.EqualTo(expected));
    }

    [Test]
    public void OnePredictionEnginePerThreadMatchesSingleThreadedScores()
    {
        SyntheticModes.Row[] rows = _mlContext.Data.CreateEnumerable<SyntheticModes.Row>(SyntheticModes.Create(_mlContext, 24), reuseRowObject: false).ToArray();
        float[] Score()
        {
            // OwnsTransformer defaults to true: disposing the engine would dispose the shared transformer.
            using var engine = _mlContext.Model.CreatePredictionEngine<SyntheticModes.Row, ScoreRow>(_model,
                new PredictionEngineOptions { OwnsTransformer = false, InputSchemaDefinition = SyntheticModes.Schema(_mlContext) });
            return rows.Select(row => engine.Predict(row).Score).ToArray();
        }
        float[] expected = Score();
        Assert.That(OnManyThreads(_ => Score()), Has.All.EqualTo(expected));
    }

    [Test]
    public void DisposingWhileAnotherThreadGeneratesGivesObjectDisposedException()
    {
        var mlContext = new MLContext(seed: 1);
        GanTransformer model = TrainedModels.Dcgan(mlContext, steps: 2);
        using var generating = new ManualResetEventSlim();
        Task reader = Task.Factory.StartNew(() =>
        {
            while (true)
            {
                // Generation runs forward passes over and over, so Dispose lands between or during them.
                using DataViewRowCursor cursor = model.Generate(2_000, seed: 1).GetRowCursor(model.Generate(1, seed: 1).Schema);
                while (cursor.MoveNext())
                {
                    generating.Set();
                }
            }
        }, TaskCreationOptions.LongRunning);

        generating.Wait(TimeSpan.FromSeconds(60));
        model.Dispose();
        var error = Assert.Throws<AggregateException>(() => reader.Wait(TimeSpan.FromSeconds(60)));
        Assert.That(error!.InnerException, Is.TypeOf<ObjectDisposedException>());
        Assert.Throws<ObjectDisposedException>(() => GeneratedImages.ReadGray(model.Generate(1, seed: 1)));
    }

    [Test]
    public void ShardsOfOneSeedConcatenateToOneRun()
    {
        List<float[]> whole = GeneratedImages.ReadGray(_model.Generate(30, seed: 9));
        var shards = new (long Start, int Count)[] { (0, 7), (7, 13), (20, 10) }
            .SelectMany(shard => GeneratedImages.ReadGray(_model.Generate(shard.Count, seed: 9, startIndex: shard.Start)))
            .ToList();
        Assert.That(shards, Is.EqualTo(whole));

        float[][] latents = _model.Generate(3, seed: 9, startIndex: 20).GetColumn<VBuffer<float>>("Latent").Select(v => v.DenseValues().ToArray()).ToArray();
        float[][] wholeLatents = _model.Generate(23, seed: 9).GetColumn<VBuffer<float>>("Latent").Skip(20).Select(v => v.DenseValues().ToArray()).ToArray();
        Assert.That(latents, Is.EqualTo(wholeLatents));
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.Generate(1, seed: 9, startIndex: -1));
    }

    private sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
