using System;
using System.Diagnostics;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML;
using Microsoft.ML.Gan.Benchmarks;

// dotnet run -c Release --project benchmarks/Microsoft.ML.Gan.Benchmarks [-- --quick] [--data PATH] [--threads N] [--keep-default-heap] [--only data|training|bookkeeping|generation [--png-dir DIR]|generation-memory [--images N]|memory|threads|checkpoints|augment-r1|resnet|ogan|ogan-samples|small-data|features] [--repeats N] [--architecture mlp|dcgan] [--mlp-steps N]
// dotnet run -c Release --project benchmarks/Microsoft.ML.Gan.Benchmarks -- quality [--steps N] [--samples N] [--classifier-epochs N] [--pytorch-samples FILE]
// Before any section: quality, conditional and ogan return early and honour --threads too.
if (BenchmarkArguments.String(args, "--threads") is not null)
{
    TorchSharp.torch.set_num_threads(BenchmarkArguments.Int(args, "--threads", fallback: 0));
}

if (args.Length > 0 && args[0] == "quality")
{
    QualityBenchmark.Run(args);
    return;
}

string section = BenchmarkArguments.String(args, "--only", "all");
// dotnet run -c Release --project benchmarks/Microsoft.ML.Gan.Benchmarks -- --only conditional [--steps N] [--grid PATH]  (quality, not speed; not in "all")
if (section == "conditional")
{
    ConditionalBenchmark.Run(args);
    return;
}
if (section == "small-data")
{
    // Quality on 1,000 / 5,000 images with and without augmentation: an hour or more, never part of "all".
    SmallDataBenchmark.Run(args);
    return;
}
if (section == "features")
{
    // Two GANs trained on the 60k images and linear probes on 100 to 60,000 labels: its own data and length, never part of "all".
    FeaturesBenchmark.Run(args);
    return;
}
if (section == "ogan-samples")
{
    // What O-GAN's correlation term costs in samples (issue 25): several 4,000-step trainings, never part of "all".
    OGanSamplesBenchmark.Run(args);
    return;
}
if (section == "ogan")
{
    // Its own data (the labelled 60k and 10k sets) and its own length (about 15 minutes): never part of "all".
    OGanBenchmark.Run(args);
    return;
}

BenchmarkSettings settings = BenchmarkSettings.FromArguments(args);
// --keep-default-heap: measure with glibc's own malloc thresholds, to show what Microsoft.ML.Gan.Torch.NativeHeapTuning buys.
if (BenchmarkArguments.Flag(args, "--keep-default-heap"))
{
    AppContext.SetSwitch(Microsoft.ML.Gan.Torch.NativeHeapTuning.OptOutSwitch, true);
}
bool Wants(string name) => section == "all" || section == name;

var total = Stopwatch.StartNew();
Console.WriteLine($"# Microsoft.ML.Gan benchmarks ({(settings.Quick ? "quick" : "full")})");
Console.WriteLine($"{Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, libtorch threads {TorchSharp.torch.get_num_threads()}, {Microsoft.ML.Gan.Torch.NativeHeapTuning.Ensure()}.");
var context = new MLContext(seed: 1);
using var data = new TrainingData(context, settings.DataPath);
if (Wants("data"))
{
    DataPathBenchmark.Run(data, settings);
}

if (Wants("training"))
{
    TrainingBenchmark.Run(context, data, settings);
}

if (Wants("bookkeeping"))
{
    BookkeepingBenchmark.Run(settings);
}

if (Wants("generation"))
{
    GenerationBenchmark.Run(context, data, settings);
    PngWritingBenchmark.Run(context, data, settings);
}

if (section == "generation-memory")
{
    PngWritingBenchmark.LongRun(context, data, BenchmarkArguments.Int(args, "--images", 1_000_000));
}

if (Wants("memory"))
{
    MemoryBenchmark.Run(data, settings);
}

if (Wants("checkpoints"))
{
    CheckpointBenchmark.Run(context, data, settings);
}

if (Wants("augment-r1"))
{
    AugmentationAndR1Benchmark.Run(settings);
}

if (Wants("resnet"))
{
    ResNetBenchmark.Run(context, data, settings);
}

if (Wants("threads"))
{
    ThreadsBenchmark.Run(context, data, settings);
}

Console.WriteLine();
Console.WriteLine($"Total {total.Elapsed.TotalSeconds:0} s.");
