using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Gan;
using Microsoft.ML.Trainers;

// Fashion-MNIST's folder: the first argument, else this repository's data/fashion-mnist (its 10,000-image test set);
// on Debian and Ubuntu, 'apt-get install dataset-fashion-mnist' puts the full set in /usr/share/datasets/fashion-mnist/.
string fashionMnist = args.Length > 0 ? args[0] : Path.Combine("..", "..", "data", "fashion-mnist");

var mlContext = new MLContext(seed: 1);

// IDX files (MNIST, Fashion-MNIST), gzip or plain: columns Image (Vector<Single,1,H,W>, 0..1) and Label (key).
IDataView data = mlContext.Data.LoadFromIdxFile(Path.Combine(fashionMnist, "t10k-images-idx3-ubyte.gz"),
    Path.Combine(fashionMnist, "t10k-labels-idx1-ubyte.gz"));

var options = new OGanTrainer.Options
{
    LatentDimension = 256,     // for 28×28 images; see "Choosing λ and the latent size" in docs/o-gan.md
    CorrelationWeight = 14,
    MaxSteps = 4_000,
    ScoreColumnName = "Realness",   // a classifier after the featurizer writes its own Score
};
using OGanTransformer ogan = mlContext.Gan().Trainers.OGan(options).Fit(data);
Console.WriteLine(ogan.MeanCorrelation(1000));   // mean ρ(z, E(G(z))) on fresh z: 1 = E inverts G

// A featurizer in a pipeline: Transform adds Latent (Vector<Single, LatentDimension>) and Realness.
var pipeline = mlContext.Gan().Trainers.OGan(options)
    .AppendCacheCheckpoint(mlContext)                 // SDCA reads the data many times; encode once
    .Append(mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Latent"));
ITransformer model = pipeline.Fit(data);
mlContext.Model.Save(model, data.Schema, "classifier.zip");   // loads back after mlContext.Gan()

// The encoder alone (image column → Latent), saveable on its own, usable with PredictionEngine.
OGanEncoderTransformer encoder = ogan.Encoder;
mlContext.Model.Save(encoder, data.Schema, "encoder.zip");

// Sampling, as with the plain GAN.
IDataView samples = ogan.Generate(64, seed: 1);           // Latent, Image
GeneratorTransformer generator = ogan.Generator;          // Latent → Image
GanImages.SaveGrid(samples, "samples.png", columns: 8);

// Reconstruction: adds a Reconstruction image column G(N(E(x))).
GanImages.SaveGrid(ogan.Reconstruct(data), "reconstructions.png", imageColumnName: "Reconstruction");

// Interpolation between two images (of the training size): G((1 − α)·z1 + α·z2), α from 0 to 1.
IReadOnlyList<string> pair = GanImages.SavePngs(ogan.Generate(2, seed: 3), "pair");   // any two 28×28 image files
IReadOnlyList<MLImage> row = ogan.Interpolate(MLImage.CreateFromFile(pair[0]), MLImage.CreateFromFile(pair[1]), steps: 8);
GanImages.SaveGrid(row, "interpolation.png", columns: 8);
// The same path as data, like Generate: one row per step with Alpha, Latent and Image.
IDataView path = ogan.GenerateInterpolation(MLImage.CreateFromFile(pair[0]), MLImage.CreateFromFile(pair[1]), steps: 8);
GanImages.SaveGrid(path, "interpolation-view.png", columns: 8);

// Discriminator features (docs/features.md): every convolutional layer of the encoder max-pooled to 4×4 and
// concatenated, standardised with means and deviations learned at Fit; the same works for GanTransformer and
// ConditionalGanTransformer.
var featurePipeline = mlContext.Gan().Transforms.DiscriminatorFeatures(ogan, outputColumnName: "Features", gridSize: 4, normalize: true)
    .AppendCacheCheckpoint(mlContext)                 // trainers read the data many times; featurize once
    .Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
    {
        LabelColumnName = "Label", FeatureColumnName = "Features", L1Regularization = 0, L2Regularization = 1, MaximumNumberOfIterations = 100,
    }));
ITransformer featureClassifier = featurePipeline.Fit(data);
mlContext.Model.Save(featureClassifier, data.Schema, "features-classifier.zip");   // loads back after mlContext.Gan()

// The saved classifier in a new context: its accuracy on the data it was trained on, and the O-GAN's columns beside it.
var app = new MLContext();
ITransformer loaded = app.Gan().LoadModel("classifier.zip", out DataViewSchema inputSchema);
IDataView predictions = loaded.Transform(data);
MulticlassClassificationMetrics metrics = app.MulticlassClassification.Evaluate(predictions, "Label");
Console.WriteLine($"Training-set accuracy of the classifier on O-GAN latents: {metrics.MicroAccuracy:F4}");
Console.WriteLine("Columns: " + string.Join(", ", predictions.Schema.Where(column => !column.IsHidden).Select(column => column.Name)));
IDataView featurePredictions = app.Gan().LoadModel("features-classifier.zip", out _).Transform(data);
Console.WriteLine($"Training-set accuracy of the classifier on discriminator features: {app.MulticlassClassification.Evaluate(featurePredictions, "Label").MicroAccuracy:F4}");
