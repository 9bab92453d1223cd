using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// Debian's Fashion-MNIST (apt-get install dataset-fashion-mnist) with its class names, and the one judge every quality
/// benchmark uses: the library's own <see cref="ImageClassifierTransformer"/> trained on the 60k real training images.
/// </summary>
internal sealed class FashionMnist
{
    public static readonly string[] ClassNames =
        { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    private const string Folder = "/usr/share/datasets/fashion-mnist/";
    private readonly MLContext _context;

    public FashionMnist(MLContext context)
    {
        _context = context;
        Train = context.Data.LoadFromIdxFile(Folder + "train-images-idx3-ubyte.gz", Folder + "train-labels-idx1-ubyte.gz", ClassNames);
        Test = context.Data.LoadFromIdxFile(Folder + "t10k-images-idx3-ubyte.gz", Folder + "t10k-labels-idx1-ubyte.gz", ClassNames);
    }

    /// <summary>The 60k training images with <c>Image</c> (Vector&lt;Single, 1, 28, 28&gt;) and <c>Label</c> (a key with the class names).</summary>
    public IDataView Train { get; }

    /// <summary>The 10k test images, 1,000 per class.</summary>
    public IDataView Test { get; }

    /// <summary>The rows of <paramref name="data"/> (<see cref="Train"/> or <see cref="Test"/>) of class <paramref name="classIndex"/> (0-based).</summary>
    public IDataView OfClass(IDataView data, int classIndex) =>
        // The predicate says which rows to drop; keys are 1-based.
        _context.Data.FilterByCustomPredicate<LabelRow>(data, row => row.Label != classIndex + 1);

    private sealed class LabelRow
    {
        [KeyType(10)]
        public uint Label { get; set; }
    }

    /// <summary>
    /// The judge: loaded from <paramref name="cachePath"/> when that file exists (a model saved by an earlier run), else
    /// trained for <paramref name="epochs"/> epochs and saved there. Prints its test accuracy.
    /// </summary>
    public ImageClassifierTransformer Classifier(string cachePath, int epochs = 2)
    {
        var clock = Stopwatch.StartNew();
        ImageClassifierTransformer classifier;
        string origin;
        if (File.Exists(cachePath))
        {
            _context.Gan(); // registers the library's model loaders with this MLContext, which Model.Load needs
            classifier = (ImageClassifierTransformer)_context.Model.Load(cachePath, out _);
            origin = $"loaded from {cachePath}";
        }
        else
        {
            classifier = _context.Gan().Evaluation.TrainClassifier(Train, new ImageClassifierOptions { Epochs = epochs, Seed = BenchmarkSettings.Seed });
            _context.Model.Save(classifier, Train.Schema, cachePath);
            origin = $"trained for {epochs} epochs on the 60k training images, saved to {cachePath}";
        }
        Report.Note(string.Create(CultureInfo.InvariantCulture,
            $"Judge (ImageClassifierTransformer, {classifier.FeatureDimension}-d features): {origin}; test accuracy {Accuracy(classifier, Test):P2}; ready in {clock.Elapsed.TotalSeconds:F0} s."));
        return classifier;
    }

    /// <summary>The share of rows of <paramref name="labelled"/> (Image + Label) the classifier labels correctly.</summary>
    public static double Accuracy(ImageClassifierTransformer classifier, IDataView labelled)
    {
        uint[] labels = labelled.GetColumn<uint>("Label").ToArray();
        return labels.Zip(Predict(classifier, labelled), (label, predicted) => predicted == label - 1 ? 1.0 : 0.0).Average();
    }

    /// <summary>The 0-based class the classifier gives each image of <paramref name="images"/>.</summary>
    public static long[] Predict(ImageClassifierTransformer classifier, IDataView images) =>
        classifier.Transform(images).GetColumn<uint>(ImageClassifierTransformer.PredictedLabelColumnName).Select(key => (long)key - 1).ToArray();

    /// <summary>The 0-based class the classifier gives each of <paramref name="images"/> ([N, 1, 28, 28] in [−1, 1]), batched.</summary>
    public static long[] Predict(ImageClassifierTransformer classifier, Tensor images)
    {
        using Evaluation.ExtractedFeatures extracted = classifier.Extract(images, batchSize: 1000);
        using Tensor classes = extracted.Probabilities!.argmax(1);
        return classes.data<long>().ToArray();
    }
}
