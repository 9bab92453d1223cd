using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Gan;
using Microsoft.ML.Transforms.Image;

var mlContext = new MLContext(seed: 1);

// Image column: LoadFromIdxFile gives Vector<Single, 1, 28, 28>; LoadImages + ResizeImages give MLImage columns.
// Fashion-MNIST's folder: the first argument, else this repository's data/fashion-mnist (its 10,000-image test set);
// on Debian and Ubuntu, 'apt-get install dataset-fashion-mnist' puts the full set in /usr/share/datasets/fashion-mnist/.
string fashionMnist = args.Length > 0 ? args[0] : Path.Combine("..", "..", "data", "fashion-mnist");
IDataView images = mlContext.Data.LoadFromIdxFile(Path.Combine(fashionMnist, "t10k-images-idx3-ubyte.gz"));

var trainer = mlContext.Gan().Trainers.Gan(new GanTrainer.Options
{
    ImageColumnName = "Image",
    Architecture = GanArchitecture.Dcgan,
    Loss = GanLoss.NonSaturating,
    Epochs = 5,
});
using GanTransformer gan = trainer.Fit(images);

// Save; load in another app (LoadModel registers the library's loaders; it also finds the GAN inside a saved pipeline).
mlContext.Model.Save(gan, images.Schema, "model.zip");
var other = new MLContext();
using GanTransformer loaded = other.Gan().LoadModel<GanTransformer>("model.zip");

// Generate in batch: an IDataView with Latent and Image (MLImage) columns; same seed, same images.
IDataView generated = loaded.Generate(count: 10_000, seed: 42);
GanImages.SavePngs(generated, "generated");
GanImages.SaveGrid(loaded.Generate(64, seed: 42), "grid.png", columns: 8);

// One image at a time from a latent vector, with a PredictionEngine over the generator.
var engine = other.Model.CreatePredictionEngine<LatentInput, ImageOutput>(loaded.Generator);
using MLImage image = engine.Predict(new LatentInput { Latent = new float[100] }).Image;
Console.WriteLine($"One image from the zero latent vector: {image.Width}x{image.Height}");

// The discriminator's realness score for real images.
IDataView scored = loaded.Transform(images);   // adds a Single column "Score"
float[] scores = scored.GetColumn<float>("Score").ToArray();
Console.WriteLine($"Mean realness score of {scores.Length} real images: {scores.Average():F4}");

public class LatentInput { [VectorType(100)] public float[] Latent { get; set; } = new float[100]; }
public class ImageOutput { [ImageType(28, 28)] public MLImage Image { get; set; } = null!; }   // the model's image size
