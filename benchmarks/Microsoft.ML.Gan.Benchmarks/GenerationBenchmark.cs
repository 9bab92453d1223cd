using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Benchmarks;

/// <summary>Images/s of Generate read through a cursor, of SavePngs, and of the bare generator forward pass they wrap.</summary>
internal static class GenerationBenchmark
{
    private const int ForwardBatch = (1 << 18) / (28 * 28); // the batch GeneratedImagesDataView uses for 28×28

    public static void Run(MLContext context, TrainingData data, BenchmarkSettings settings)
    {
        Report.Section("Generation throughput (28×28, images/s, median)");
        Report.Note($"Models trained for 1 step (speed does not depend on the weights). {settings.Repeats} interleaved repeats; cursor: {settings.GenerateImages} images, Image column read and each image disposed; PNG: {settings.PngImages} files.");
        Report.Header("model", "bare G forward", "Generate → cursor", "cursor / bare", "SavePngs");
        foreach (GanArchitecture architecture in new[] { GanArchitecture.Dcgan, GanArchitecture.Mlp })
        {
            using GanTransformer model = context.Gan().Trainers.Gan(FitRunner.Options(architecture, GanLoss.NonSaturating, 1)).Fit(data.View);
            int count = architecture == GanArchitecture.Dcgan ? settings.GenerateImages / 4 : settings.GenerateImages;
            int pngs = architecture == GanArchitecture.Dcgan ? settings.PngImages / 2 : settings.PngImages;
            ReadImages(model, 500);
            BareForward(architecture, 500);
            var bare = new List<double>();
            var cursor = new List<double>();
            var png = new List<double>();
            for (int r = 0; r < settings.Repeats; r++)
            {
                bare.Add(BareForward(architecture, count));
                cursor.Add(ReadImages(model, count));
                png.Add(SavePngs(model, pngs));
            }

            double bareRate = Measurements.Median(bare), cursorRate = Measurements.Median(cursor);
            Report.Row(architecture, bareRate, cursorRate, cursorRate / bareRate, Measurements.Median(png));
        }

        Report.Note("Goal: ≥ 5,000 images/s to IDataView on 2 cores.");
    }

    /// <summary>Reads the Image column of Generate(count) with a cursor; images/s.</summary>
    public static double ReadImages(GanTransformer model, int count)
    {
        var started = Stopwatch.StartNew();
        IDataView view = model.Generate(count, seed: 7);
        DataViewSchema.Column column = view.Schema["Image"];
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { column });
        ValueGetter<MLImage> getter = cursor.GetGetter<MLImage>(column);
        MLImage image = null!;
        long pixels = 0;
        while (cursor.MoveNext())
        {
            getter(ref image);
            pixels += image.Width;
            image.Dispose();
            image = null!;
        }

        if (pixels != (long)model.ImageWidth * count)
        {
            throw new InvalidOperationException("Unexpected images.");
        }

        return count / started.Elapsed.TotalSeconds;
    }

    private static double SavePngs(GanTransformer model, int count)
    {
        string directory = Path.Combine(Path.GetTempPath(), "gan-bench-pngs-" + Environment.ProcessId);
        try
        {
            var started = Stopwatch.StartNew();
            GanImages.SavePngs(model.Generate(count, seed: 7), directory);
            return count / started.Elapsed.TotalSeconds;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // The forward pass alone: same module, same batch, latents drawn by libtorch, result copied out to a float array.
    private static double BareForward(GanArchitecture architecture, int count)
    {
        var spec = new NetworkSpec(architecture, new Data.ImageShape(1, 28, 28), 100, DiscriminatorOutputs: 1, SpectralNormalization: false, DiscriminatorBatchNorm: true);
        using var initRandom = new torch.Generator(1);
        using var generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
        generator.eval();
        var output = new float[ForwardBatch * 28 * 28];
        var started = Stopwatch.StartNew();
        using (no_grad())
        {
            for (int done = 0; done < count; done += ForwardBatch)
            {
                int n = Math.Min(ForwardBatch, count - done);
                using var scope = NewDisposeScope();
                Tensor images = generator.call(randn(n, 100)).contiguous();
                images.data<float>().CopyTo(output.AsSpan(0, n * 28 * 28));
            }
        }

        return count / started.Elapsed.TotalSeconds;
    }
}
