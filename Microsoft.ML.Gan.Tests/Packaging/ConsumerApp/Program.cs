// A user's console app, built by PackageConsumerTests OUTSIDE the solution against the Microsoft.ML.Gan PACKAGE.
// Not compiled into the test assembly (see Microsoft.ML.Gan.Tests.csproj).
//   train DIR : trains a few steps on synthetic 16x16 images, saves DIR/model.zip, writes the pixels of
//               Generate(4, seed: 1) to DIR/pixels.txt and prints "trained".
//   load DIR  : loads DIR/model.zip in this (new) process, generates the same images and compares the pixels;
//               prints "pixels match" (exit 0) or the first difference (exit 3).
// Both first print "ML.NET VERSION": the Microsoft.ML the app runs on.
// Any exception: its chain, one "Type: message" line each, on stderr, exit 1.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Gan;

try
{
    Console.WriteLine("ML.NET " + typeof(MLContext).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0]);
    string folder = args[1];
    string modelPath = Path.Combine(folder, "model.zip");
    string pixelsPath = Path.Combine(folder, "pixels.txt");
    switch (args[0])
    {
        case "train":
        {
            var mlContext = new MLContext(seed: 1);
            var random = new Random(1);
            IEnumerable<SyntheticImage> rows = Enumerable.Range(0, 64).Select(_ => new SyntheticImage
            {
                Image = Enumerable.Range(0, 16 * 16).Select(_ => (float)random.NextDouble()).ToArray(),
            });
            IDataView images = mlContext.Data.LoadFromEnumerable(rows);
            var trainer = mlContext.Gan().Trainers.Gan(new GanTrainer.Options
            {
                ImageColumnName = "Image",
                Architecture = GanArchitecture.Dcgan,
                LatentDimension = 16,
                BatchSize = 16,
                MaxSteps = 3,
                Seed = 1,
            });
            using GanTransformer gan = trainer.Fit(images);
            mlContext.Model.Save(gan, images.Schema, modelPath);
            File.WriteAllLines(pixelsPath, ReadPixels(gan.Generate(4, seed: 1)));
            Console.WriteLine("trained");
            return 0;
        }
        case "load":
        {
            var mlContext = new MLContext();
            mlContext.Gan();
            using var gan = (GanTransformer)mlContext.Model.Load(modelPath, out _);
            string[] expected = File.ReadAllLines(pixelsPath);
            string[] actual = ReadPixels(gan.Generate(4, seed: 1));
            for (int i = 0; i < Math.Max(expected.Length, actual.Length); i++)
            {
                if (i >= expected.Length || i >= actual.Length || expected[i] != actual[i])
                {
                    Console.WriteLine($"image {i} differs: expected {expected.ElementAtOrDefault(i)}, got {actual.ElementAtOrDefault(i)}");
                    return 3;
                }
            }
            Console.WriteLine($"pixels match ({actual.Length} images)");
            return 0;
        }
        default:
            Console.Error.WriteLine("usage: train DIR | load DIR");
            return 2;
    }
}
catch (Exception e)
{
    for (Exception? current = e; current != null; current = current.InnerException)
        Console.Error.WriteLine($"{current.GetType().FullName}: {current.Message}");
    return 1;
}

// One line per image: its BGRA pixels in hexadecimal. The image is copied out at once (the cursor reuses it).
static string[] ReadPixels(IDataView generated)
{
    var lines = new List<string>();
    using DataViewRowCursor cursor = generated.GetRowCursor(generated.Schema.Where(c => c.Name == "Image"));
    ValueGetter<MLImage> getImage = cursor.GetGetter<MLImage>(generated.Schema["Image"]);
    MLImage image = null!;
    while (cursor.MoveNext())
    {
        getImage(ref image);
        lines.Add(Convert.ToHexString(image.Pixels));
    }
    return lines.ToArray();
}

/// <summary>A 16x16 grayscale training image with random pixels.</summary>
internal sealed class SyntheticImage
{
    [VectorType(1, 16, 16)]
    public float[] Image { get; set; } = Array.Empty<float>();
}
