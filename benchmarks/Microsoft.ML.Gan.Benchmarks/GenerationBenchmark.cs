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
        Report.Note($"Models trained for 1 step (speed does not depend on the weights). {settings.Repeats} interleaved repeats of {settings.GenerateImages} images (DCGAN: a quarter). Bare forwards: the same module and batch, latents drawn by libtorch, images copied out to a float array; 'no_grad' is the trained network as Generate ran it before issue 24, 'inference' adds inference mode, 'folded' is the copy Generate runs now (batch norms folded, DCGAN only). Cursor: Generate read through the Image column, each image disposed.");
        Report.Header("model", "bare no_grad", "bare inference", "bare folded", "Generate → cursor", "cursor / best bare");
        foreach (GanArchitecture architecture in new[] { GanArchitecture.Dcgan, GanArchitecture.Mlp })
        {
            using GanTransformer model = context.Gan().Trainers.Gan(FitRunner.Options(architecture, GanLoss.NonSaturating, 1)).Fit(data.View);
            int count = architecture == GanArchitecture.Dcgan ? settings.GenerateImages / 4 : settings.GenerateImages;
            var spec = new NetworkSpec(architecture, new Data.ImageShape(1, 28, 28), 100, DiscriminatorOutputs: 1, SpectralNormalization: false, DiscriminatorBatchNorm: true);
            using var initRandom = new torch.Generator(1);
            using var generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
            generator.eval();
            using nn.Module? folded = InferenceGenerator.FoldedCopyOrNull(generator);
            var plain = (nn.Module<Tensor, Tensor>)generator;
            var fast = (nn.Module<Tensor, Tensor>?)folded;
            ReadImages(model, 500);
            BareForward(plain, 500, inference: false);
            var noGrad = new List<double>();
            var inference = new List<double>();
            var foldedRates = new List<double>();
            var cursor = new List<double>();
            for (int r = 0; r < settings.Repeats; r++)
            {
                noGrad.Add(BareForward(plain, count, inference: false));
                inference.Add(BareForward(plain, count, inference: true));
                if (fast is not null)
                {
                    foldedRates.Add(BareForward(fast, count, inference: true));
                }
                cursor.Add(ReadImages(model, count));
            }

            double best = Math.Max(Measurements.Median(inference), fast is null ? 0 : Measurements.Median(foldedRates));
            double cursorRate = Measurements.Median(cursor);
            Report.Row(architecture, Measurements.Median(noGrad), Measurements.Median(inference),
                fast is null ? "–" : Measurements.Median(foldedRates), cursorRate, cursorRate / best);
        }

        Report.Note("Goal: ≥ 5,000 images/s to IDataView on 2 cores, within 5 % of the bare forward.");
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

    // The forward pass alone: the given module at Generate's batch, latents drawn by libtorch, result copied out to a float array.
    private static double BareForward(nn.Module<Tensor, Tensor> generator, int count, bool inference)
    {
        var output = new float[ForwardBatch * 28 * 28];
        var started = Stopwatch.StartNew();
        using (IDisposable mode = inference ? inference_mode() : no_grad())
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
