using Microsoft.ML;
using Microsoft.ML.Gan;

// Fashion-MNIST's folder: the first argument, else this repository's data/fashion-mnist (its 10,000-image test set);
// on Debian and Ubuntu, 'apt-get install dataset-fashion-mnist' puts the full set in /usr/share/datasets/fashion-mnist/.
string fashionMnist = args.Length > 0 ? args[0] : Path.Combine("..", "..", "data", "fashion-mnist");

var mlContext = new MLContext(seed: 1);
string[] names = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
IDataView data = mlContext.Data.LoadFromIdxFile(Path.Combine(fashionMnist, "t10k-images-idx3-ubyte.gz"),
    Path.Combine(fashionMnist, "t10k-labels-idx1-ubyte.gz"), names);

var trainer = mlContext.Gan().Trainers.ConditionalGan(new ConditionalGanTrainer.Options
{
    Conditioning = ConditioningMethod.ProjectionAndAuxiliaryClassifier,
    MaxSteps = 3000,
});
using ConditionalGanTransformer model = trainer.Fit(data);

IDataView sneakers = model.Generate(10, "Sneaker", seed: 7);   // Label (key, "Sneaker"), Latent, Image
GanImages.SavePngs(sneakers, "sneakers");
IDataView mixed = model.Generate(1000, seed: 7);                // labels drawn from the training label distribution
GanImages.SaveGrid(mixed, "mixed.png", columns: 8);             // the first 64
mlContext.Model.Save(model, data.Schema, "cgan.zip");

// The labels of the generated images, as names: the key values' names come from the training data.
string[] drawn = mlContext.Data.CreateEnumerable<GeneratedLabel>(
    mlContext.Transforms.Conversion.MapKeyToValue("Name", "Label").Fit(mixed).Transform(mixed), reuseRowObject: false)
    .Select(row => row.Name).ToArray();
Console.WriteLine($"Labels drawn for {drawn.Length} images: " + string.Join(", ",
    drawn.GroupBy(name => name).OrderByDescending(group => group.Count()).Select(group => $"{group.Key} {group.Count()}")));

class GeneratedLabel { public string Name { get; set; } = ""; }
