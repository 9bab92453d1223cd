using Microsoft.ML;
using Microsoft.ML.Gan;

// Fashion-MNIST's folder: the first argument, else this repository's data/fashion-mnist (its 10,000-image test set);
// on Debian and Ubuntu, 'apt-get install dataset-fashion-mnist' puts the full set in /usr/share/datasets/fashion-mnist/.
string fashionMnist = args.Length > 0 ? args[0] : Path.Combine("..", "..", "data", "fashion-mnist");

var mlContext = new MLContext(seed: 1);
// With the full set, train on train-*-ubyte.gz and test on t10k-*; here the test set is split 80/20 into both.
IDataView all = mlContext.Data.LoadFromIdxFile(Path.Combine(fashionMnist, "t10k-images-idx3-ubyte.gz"),
    Path.Combine(fashionMnist, "t10k-labels-idx1-ubyte.gz"));
DataOperationsCatalog.TrainTestData split = mlContext.Data.TrainTestSplit(all, testFraction: 0.2, seed: 1);
IDataView train = split.TrainSet, test = split.TestSet;

using ImageClassifierTransformer classifier = mlContext.Gan().Evaluation.TrainClassifier(train);   // ~90% with the full set
mlContext.Model.Save(classifier, train.Schema, "classifier.zip");                                  // reuse it for every run

using GanTransformer gan = mlContext.Gan().Trainers.Gan(new GanTrainer.Options { MaxSteps = 1000 }).Fit(train);
GanMetrics metrics = mlContext.Gan().Evaluate(gan.Generate(10_000, seed: 1), test, classifier,
    new GanEvaluationOptions { Training = train });
Console.WriteLine(metrics);   // a table; every figure is also a property
Console.WriteLine($"FID {metrics.FrechetDistance:F2}, precision {metrics.Precision:F3}, recall {metrics.Recall:F3}");
