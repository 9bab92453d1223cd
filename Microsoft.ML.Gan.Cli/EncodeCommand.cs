using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Cli;

/// <summary><c>gan encode</c>: writes each image's O-GAN code N(E(x)) as a row of a tab-separated file.</summary>
/// <remarks>
/// The file has a header (<c>Source</c>, then <c>Latent0</c> … <c>Latent{d−1}</c>); ML.NET reads it with
/// <c>LoadFromTextFile(path, new[] { new TextLoader.Column("Source", DataKind.String, 0), new TextLoader.Column("Latent", DataKind.Single, 1, d) }, hasHeader: true)</c>.
/// </remarks>
internal static class EncodeCommand
{
    // The column of file paths that TrainingDataLoader gives folder data; IDX data has none and gets row numbers.

    public static System.CommandLine.Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "A model.zip holding an O-GAN or its encoder.", DefaultValueFactory = _ => "model.zip" };
        var images = new Option<string>("--images") { Description = "An IDX image file (gzip or plain) or a folder of .png/.jpg images (resized to the model's size).", Required = true };
        var output = new Option<string>("--output", "-o", "--out") { Description = "The TSV file to write.", DefaultValueFactory = _ => "latents.tsv" };
        var count = new Option<int?>("--count", "-n") { Description = "Encode only the first this many images." };

        var command = new System.CommandLine.Command("encode", "Encode images with an O-GAN's encoder into a TSV of latent codes.") { model, images, output, count };
        command.SetAction(result => Run(result.GetValue(model)!, result.GetValue(images)!, result.GetValue(output)!, result.GetValue(count)));
        return command;
    }

    private static int Run(string modelPath, string imagesPath, string outputPath, int? count)
    {
        if (count is < 0)
        {
            throw new ArgumentException($"--count must be ≥ 0; got {count}.");
        }
        AtomicFile.RequireWritableFile(outputPath, "--output");
        var mlContext = new MLContext(seed: 1);
        using OGanEncoderTransformer encoder = ModelFile.LoadEncoder(mlContext, modelPath);
        IDataView data = TrainingDataLoader.LoadForModel(mlContext, imagesPath, encoder.ImageWidth);
        if (count is int limit)
        {
            data = mlContext.Data.TakeRows(data, limit);
        }
        IDataView encoded = encoder.Transform(data);

        DataViewSchema.Column latentColumn = encoded.Schema[encoder.LatentColumnName];
        DataViewSchema.Column? pathColumn = encoded.Schema.GetColumnOrNull(TrainingDataLoader.PathColumn);
        var active = pathColumn is { } p ? new[] { latentColumn, p } : new[] { latentColumn };
        int rows = 0;
        AtomicFile.Write(outputPath, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using DataViewRowCursor cursor = encoded.GetRowCursor(active);
            ValueGetter<VBuffer<float>> getLatent = cursor.GetGetter<VBuffer<float>>(latentColumn);
            ValueGetter<ReadOnlyMemory<char>>? getPath = pathColumn is { } column ? cursor.GetGetter<ReadOnlyMemory<char>>(column) : null;
            writer.Write("Source");
            for (int i = 0; i < encoder.LatentDimension; i++)
            {
                writer.Write(FormattableString.Invariant($"\tLatent{i}"));
            }
            writer.WriteLine();
            VBuffer<float> latent = default;
            ReadOnlyMemory<char> source = default;
            while (cursor.MoveNext())
            {
                getLatent(ref latent);
                getPath?.Invoke(ref source);
                writer.Write(getPath is null ? cursor.Position.ToString(CultureInfo.InvariantCulture) : Path.GetRelativePath(imagesPath, source.ToString()));
                foreach (float value in latent.DenseValues())
                {
                    writer.Write('\t');
                    writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
                }
                writer.WriteLine();
                rows++;
            }
        });
        Console.WriteLine($"Wrote {rows} codes of {encoder.LatentDimension} values to {Path.GetFullPath(outputPath)}.");
        return ExitCodes.Success;
    }
}
