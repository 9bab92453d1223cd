using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Gan;

var mlContext = new MLContext(seed: 1);
mlContext.Log += (_, e) => { if (e.Source.StartsWith("GanTrainer")) Console.WriteLine(e.RawMessage); };

// The folder of PNG images to learn from: the first argument, else ./faces.
string folder = args.Length > 0 ? args[0] : "faces";
// A folder of PNG/JPEG files: an MLImage column, resized to one size.
IDataView files = mlContext.Data.LoadFromEnumerable(Directory.GetFiles(folder, "*.png").Select(p => new { Path = p }));
var load = mlContext.Transforms.LoadImages("Raw", null, "Path")
    .Append(mlContext.Transforms.ResizeImages("Image", 64, 64, "Raw"));

var options = new GanTrainer.Options
{
    ImageColumnName = "Image",
    Architecture = GanArchitecture.Dcgan,
    Epochs = 20,
    ProgressCallback = p =>
    {
        if (p.IsEpochEnd)
        {
            IReadOnlyList<MLImage> preview = p.SampleImages(64, seed: 0);
            GanImages.SaveGrid(preview, $"epoch-{p.Epoch}.png");
            foreach (MLImage image in preview) image.Dispose();
        }
    },
};
var pipeline = load.Append(mlContext.Gan().Trainers.Gan(options));
var model = pipeline.Fit(files);              // a TransformerChain ending in a GanTransformer
GanTransformer gan = model.LastTransformer;

IDataView images = gan.Generate(count: 5000, seed: 7);   // Latent + Image columns, produced in batches
GanImages.SavePngs(images, "out");                       // out/image_00000.png ...
GanImages.SaveGrid(gan.Generate(64, seed: 7), "grid.png", columns: 8);

mlContext.Model.Save(model, files.Schema, "gan.zip");

var app = new MLContext();
// A whole pipeline (LoadImages + ResizeImages + the GAN): LoadModel registers the library's loaders and keeps the chain;
// GetGanModel takes the GAN out of it.
ITransformer loaded = app.Gan().LoadModel("gan.zip", out DataViewSchema schema);
GanTransformer loadedGan = loaded.GetGanModel<GanTransformer>();

// The loaded pipeline reads the image files itself: LoadImages, ResizeImages, then the discriminator adds Score.
float[] scores = loaded.Transform(files).GetColumn<float>("Score").ToArray();
Console.WriteLine($"Loaded a {loadedGan.ImageWidth}x{loadedGan.ImageHeight} GAN; mean realness score of {scores.Length} files: {scores.Average():F4}");
