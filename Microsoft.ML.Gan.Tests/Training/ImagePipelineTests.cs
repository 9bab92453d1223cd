using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Tests.TestData;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>The pipeline users write for image files: LoadImages → ResizeImages → Gan, in colour and in grayscale.</summary>
[TestFixture]
public class ImagePipelineTests
{
    private string _folder = null!;

    [OneTimeSetUp]
    public void WriteImageFiles()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-pipeline-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        // Eight 12x10 PNGs in two colours: red-ish and blue-ish, resized to 8x8 by the pipeline.
        for (int i = 0; i < 8; i++)
        {
            var bgra = new byte[12 * 10 * 4];
            for (int p = 0; p < 12 * 10; p++)
            {
                bool red = i % 2 == 0;
                bgra[4 * p] = (byte)(red ? 30 : 220);
                bgra[4 * p + 1] = (byte)(40 + i);
                bgra[4 * p + 2] = (byte)(red ? 220 : 30);
                bgra[4 * p + 3] = 255;
            }
            using MLImage image = MLImage.CreateFromPixels(12, 10, MLPixelFormat.Bgra32, bgra);
            image.Save(Path.Combine(_folder, $"{i}.png"));
        }
    }

    [OneTimeTearDown]
    public void DeleteImageFiles() => Directory.Delete(_folder, recursive: true);

    [TestCase(false, 3)]
    [TestCase(true, 1)]
    public void LoadResizeTrainSaveLoadGenerate(bool grayscale, int channels)
    {
        var mlContext = new MLContext(seed: 1);
        IDataView files = mlContext.Data.LoadFromEnumerable(Directory.GetFiles(_folder, "*.png").Order().Select(path => new FileRow { Path = path }));
        var pipeline = mlContext.Transforms.LoadImages("Raw", imageFolder: null, inputColumnName: nameof(FileRow.Path))
            .Append(mlContext.Transforms.ResizeImages("Image", 8, 8, "Raw"))
            .Append(mlContext.Gan().Trainers.Gan(new GanTrainer.Options
            {
                Architecture = GanArchitecture.Dcgan, Grayscale = grayscale, LatentDimension = 4, BatchSize = 4, MaxSteps = 2, Seed = 1,
            }));

        var chain = pipeline.Fit(files);
        using GanTransformer gan = chain.LastTransformer;
        Assert.That((gan.ImageChannels, gan.ImageWidth, gan.ImageHeight), Is.EqualTo((channels, 8, 8)));
        float[] scores = chain.Transform(files).GetColumn<float>("Score").ToArray();
        Assert.That(scores, Has.Length.EqualTo(8).And.All.Matches<float>(float.IsFinite));

        string path = Path.Combine(_folder, $"pipeline-{channels}.zip");
        mlContext.Model.Save(chain, files.Schema, path);
        var fresh = new MLContext();
        fresh.Gan();
        ITransformer loaded = fresh.Model.Load(path, out _);
        Assert.That(loaded.Transform(files).GetColumn<float>("Score").ToArray(), Is.EqualTo(scores));

        using MLImage generated = gan.Generate(1, seed: 2).GetColumn<MLImage>("Image").Single();
        Assert.That((generated.Width, generated.Height), Is.EqualTo((8, 8)));
        bool colourful = Enumerable.Range(0, 64).Any(p => generated.Pixels[4 * p] != generated.Pixels[4 * p + 2]);
        Assert.That(colourful, Is.EqualTo(channels == 3), "grayscale models draw gray images, colour models colour ones");
        ((TransformerChain<ITransformer>)loaded).OfType<GanTransformer>().Single().Dispose();
    }

    private sealed class FileRow
    {
        public string Path { get; set; } = string.Empty;
    }
}
