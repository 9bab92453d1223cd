using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>
/// PNG files per second: SavePngs (encoding on every core while the next chunk is generated, one file-system flush per
/// chunk) against the path it replaced (one image at a time: encode, write, fsync, rename), interleaved; and, with
/// <c>--only generation-memory</c>, one long SavePngs call with RSS and live tensors read as it goes.
/// </summary>
internal static class PngWritingBenchmark
{
    // Every folder written stays until the section ends: deleting thousands of files just before the next measurement
    // made ext4 on the build VM take about 0.9 ms of kernel time per file created for a while (25 µs otherwise).
    private static readonly List<string> Written = new();

    public static void Run(MLContext context, TrainingData data, BenchmarkSettings settings)
    {
        int count = settings.Quick ? 2_048 : 4_096;
        Report.Section("Writing PNG files (images/s, median)");
        Report.Note($"{settings.Repeats} interleaved repeats of {count} files each, each into a fresh folder under {Root}, all deleted at the end (--png-dir DIR chooses the disk). 'One by one' writes each image as the writer before issue 24 did (write, fsync, rename on the reading thread), with the same encoder.");
        Report.Header("model", "Generate → cursor", "one by one", "SavePngs", "SavePngs / cursor", "bytes per file");
        using (GanTransformer gray = context.Gan().Trainers.Gan(FitRunner.Options(GanArchitecture.Dcgan, GanLoss.NonSaturating, 1)).Fit(data.View))
        {
            Compare("Dcgan 1×28×28 (1 training step)", gray, count, settings.Repeats);
        }
        using (GanTransformer colour = Untrained(context, new ImageShape(3, 64, 64)))
        {
            Compare("Dcgan 3×64×64 (untrained)", colour, count / 4, settings.Repeats);
        }
        foreach (string folder in Written)
        {
            Directory.Delete(folder, recursive: true);
        }
        Written.Clear();
        Report.Note("Goal: ≥ 3,000 PNGs/s for 28×28 on 2 cores.");
    }

    /// <summary>One SavePngs call for <paramref name="count"/> DCGAN 28×28 images, with RSS and Tensor.TotalCount at 10k, 100k, … and at the end.</summary>
    public static void LongRun(MLContext context, TrainingData data, int count)
    {
        Report.Section($"One call for {count:N0} PNGs (DCGAN 28×28, 1 training step)");
        Report.Header("images written", "Tensor.TotalCount", "RSS MiB", "images/s so far");
        using GanTransformer model = context.Gan().Trainers.Gan(FitRunner.Options(GanArchitecture.Dcgan, GanLoss.NonSaturating, 1)).Fit(data.View);
        string directory = Folder();
        try
        {
            var writer = new ImageFolderWriter(directory, "image", ".png");
            var started = Stopwatch.StartNew();
            long nextReading = 10_000;
            writer.Write(model.Generate(count, seed: 7), "Image", 0, progress: done =>
            {
                if (done >= nextReading || done == count)
                {
                    double rate = done / started.Elapsed.TotalSeconds;
                    Measurements.Settle();
                    Report.Row(done, Tensor.TotalCount, Measurements.ResidentBytes() / 1048576.0, rate);
                    while (nextReading <= done)
                    {
                        nextReading *= nextReading < 100_000 ? 10 : 2;
                    }
                }
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        Report.Note("Readings after a full GC; a flat RSS and TotalCount mean no memory grows with the number of images.");
    }

    private static void Compare(string name, GanTransformer model, int count, int repeats)
    {
        GenerationBenchmark.ReadImages(model, 200);
        OneByOne(model, 200);
        SavePngs(model, 200);
        var cursor = new List<double>();
        var before = new List<double>();
        var now = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            cursor.Add(GenerationBenchmark.ReadImages(model, count));
            before.Add(OneByOne(model, count));
            now.Add(SavePngs(model, count));
        }
        double cursorRate = Measurements.Median(cursor), nowRate = Measurements.Median(now);
        long bytes = new DirectoryInfo(Written[^1]).EnumerateFiles("*.png").Sum(file => file.Length);
        Report.Row(name, cursorRate, Measurements.Median(before), nowRate, nowRate / cursorRate, bytes / (double)count);
    }

    private static double SavePngs(GanTransformer model, int count) => Timed(count, directory => GanImages.SavePngs(model.Generate(count, seed: 7), directory));

    private static double OneByOne(GanTransformer model, int count) => Timed(count, directory =>
    {
        Directory.CreateDirectory(directory);
        IDataView view = model.Generate(count, seed: 7);
        DataViewSchema.Column column = view.Schema["Image"];
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { column });
        ValueGetter<MLImage> getter = cursor.GetGetter<MLImage>(column);
        MLImage image = null!;
        for (long index = 0; cursor.MoveNext(); index++)
        {
            getter(ref image);
            var bgra = new byte[image.Width * image.Height * 4];
            ImagePixels.CopyToOpaqueBgra32(image, bgra);
            ImageFileWriter.Write(Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"image_{index:D5}.png")), image.Width, image.Height, bgra);
            image.Dispose();
            image = null!;
        }
    });

    private static double Timed(int count, Action<string> write)
    {
        string directory = Folder();
        Written.Add(directory);
        var started = Stopwatch.StartNew();
        write(directory);
        return count / started.Elapsed.TotalSeconds;
    }

    private static string Root => BenchmarkArguments.String(Environment.GetCommandLineArgs(), "--png-dir") ?? Path.GetTempPath();

    private static string Folder() => Path.Combine(Root, "gan-bench-pngs-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));

    // A freshly initialised DCGAN: generation speed does not depend on the weights.
    private static GanTransformer Untrained(MLContext context, ImageShape shape)
    {
        var spec = new NetworkSpec(GanArchitecture.Dcgan, shape, 100);
        using var initRandom = new torch.Generator(1);
        var model = new GanModel(spec, GanLoss.NonSaturating, new ImageInputFormat("Image", false, shape, 1f),
            GanNetworkFactory.CreateGenerator(spec, initRandom), GanNetworkFactory.CreateDiscriminator(spec, initRandom), CPU, Array.Empty<GanTrainingRecord>());
        return new GanTransformer(context, model);
    }
}
