using Microsoft.ML;
using Microsoft.ML.Gan;

// Fashion-MNIST's folder: the first argument, else this repository's data/fashion-mnist (its 10,000-image test set);
// on Debian and Ubuntu, 'apt-get install dataset-fashion-mnist' puts the full set in /usr/share/datasets/fashion-mnist/.
string fashionMnist = args.Length > 0 ? args[0] : Path.Combine("..", "..", "data", "fashion-mnist");

// Run this program again after stopping it (Ctrl+C, a crash, a reboot): it continues from the newest checkpoint, and
// once training has finished, a run trains nothing more and writes the same grid from the final checkpoint.
var mlContext = new MLContext(seed: 1);
mlContext.Log += (_, e) => { if (e.RawMessage.StartsWith("Resumed") || e.RawMessage.StartsWith("No checkpoint")) Console.WriteLine(e.RawMessage); };
IDataView data = mlContext.Data.LoadFromIdxFile(Path.Combine(fashionMnist, "t10k-images-idx3-ubyte.gz"));

var options = new GanTrainer.Options
{
    Epochs = 50,
    CheckpointDirectory = "runs/faces/checkpoints",  // write checkpoints here
    CheckpointEveryNSteps = 1000,                     // every 1,000 generator updates, and at the end
    KeepCheckpoints = 3,                              // keep the newest 3
    ResumeFrom = "runs/faces/checkpoints",            // continue from the newest readable one, if any
    GeneratorEmaDecay = 0.999,                        // generate from a moving average of G's weights
};
using GanTransformer model = mlContext.Gan().Trainers.Gan(options).Fit(data);

GanImages.SaveGrid(model.Generate(64, seed: 7), "runs/faces/grid.png", columns: 8);
Console.WriteLine("Checkpoints: " + string.Join(", ", Directory.GetFiles("runs/faces/checkpoints", "*.gancheckpoint").Select(Path.GetFileName).Order()));
