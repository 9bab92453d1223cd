using System.IO;

namespace Microsoft.ML.Gan.Tests.TestData;

/// <summary>model.zip files of tiny 8×8 MLP GANs, the quickest models to generate many images from.</summary>
internal static class GenerationModelFiles
{
    /// <summary>Trains a 1-step MLP GAN with <paramref name="seed"/> and saves it to <paramref name="path"/>.</summary>
    public static string Save(string path, int seed = 5)
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = SyntheticModes.Create(mlContext, 64);
        using GanTransformer model = mlContext.Gan().Trainers.Gan(new GanTrainer.Options
        {
            Architecture = GanArchitecture.Mlp, LatentDimension = 8, MaxSteps = 1, BatchSize = 16, Seed = seed,
        }).Fit(data);
        mlContext.Model.Save(model, data.Schema, path);
        return path;
    }

    /// <summary>The files of <paramref name="folder"/> by name, with their bytes.</summary>
    public static System.Collections.Generic.SortedDictionary<string, byte[]> Contents(string folder)
    {
        var contents = new System.Collections.Generic.SortedDictionary<string, byte[]>(System.StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(folder))
        {
            contents[Path.GetFileName(file)] = File.ReadAllBytes(file);
        }
        return contents;
    }
}
