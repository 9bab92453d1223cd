using Microsoft.ML;
using Microsoft.ML.Gan;

// Process and device settings an app makes before its first Fit or Model load.

// Fashion-MNIST's folder: the first argument, else this repository's data/fashion-mnist (its 10,000-image test set);
// on Debian and Ubuntu, 'apt-get install dataset-fashion-mnist' puts the full set in /usr/share/datasets/fashion-mnist/.
string fashionMnist = args.Length > 0 ? args[0] : Path.Combine("..", "..", "data", "fashion-mnist");

// Keep glibc's malloc settings for this process instead of the library's faster ones (docs/troubleshooting.md).
AppContext.SetSwitch("Microsoft.ML.Gan.KeepDefaultNativeHeap", true);

// Train on the first GPU, and fail rather than fall back to the CPU (docs/gpu.md). This sample references TorchSharp-cpu:
// replace it with TorchSharp-cuda-linux or TorchSharp-cuda-windows to train on the GPU; with the CPU backend Fit says why it cannot.
var mlContext = new MLContext { GpuDeviceId = 0, FallbackToCpu = false };
IDataView data = mlContext.Data.LoadFromIdxFile(Path.Combine(fashionMnist, "t10k-images-idx3-ubyte.gz"));
try
{
    using GanTransformer gan = mlContext.Gan().Trainers.Gan(new GanTrainer.Options { MaxSteps = 1000 }).Fit(data);
    Console.WriteLine($"Trained {gan.TrainingHistory.Count} log points on GPU 0.");
}
catch (InvalidOperationException e)
{
    Console.WriteLine("No GPU training: " + e.Message);
}
