using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// What the conditional GAN adds to the tool: <c>gan train --trainer conditional --labels FILE</c> and
/// <c>gan generate --label NAME</c>. Kept apart from the unconditional commands so that they stay as they are.
/// </summary>
internal static class ConditionalCommands
{
    public static readonly Option<string> Trainer = new("--trainer")
    {
        Description = "gan (unconditional) or conditional (needs --labels).",
        DefaultValueFactory = _ => "gan",
    };

    public static readonly Option<string?> Labels = new("--labels")
    {
        Description = "IDX labels file (gzip or plain) matching --data, for --trainer conditional.",
    };

    public static readonly Option<string?> LabelNames = new("--label-names")
    {
        Description = "Comma-separated names of labels 0, 1, ... (e.g. T-shirt/top,Trouser,...); default \"0\", \"1\", ...",
    };

    public static readonly Option<ConditioningMethod> Conditioning = new("--conditioning")
    {
        Description = "Projection, AuxiliaryClassifier or ProjectionAndAuxiliaryClassifier.",
        DefaultValueFactory = _ => ConditioningMethod.Projection,
    };

    public static readonly Option<string?> Label = new("--label")
    {
        Description = "For a conditional model: generate only this class, by its label name (e.g. Sneaker). Default: classes as often as in training.",
    };

    static ConditionalCommands()
    {
        Trainer.AcceptOnlyFromAmong("gan", "conditional");
    }

    /// <summary>Whether <c>gan train</c> was asked for a conditional GAN.</summary>
    public static bool IsConditional(ParseResult result) => result.GetValue(Trainer) == "conditional";

    /// <summary>Trains a conditional GAN with <paramref name="options"/>' settings; writes model.zip and samples.png (one row per class).</summary>
    public static int Train(ParseResult result, GanTrainer.Options options, MLContext mlContext, string dataPath, string outputFolder, int seed)
    {
        string labelsPath = result.GetValue(Labels)
            ?? throw new ArgumentException("--trainer conditional needs --labels: the IDX labels file of the --data images.");
        if (Directory.Exists(dataPath))
        {
            throw new ArgumentException("--trainer conditional reads IDX files: give --data an IDX images file and --labels its labels file.");
        }
        string[]? names = result.GetValue(LabelNames)?.Split(',').Select(name => name.Trim()).ToArray();
        IDataView data = mlContext.Data.LoadFromIdxFile(dataPath, labelsPath, names);

        var conditional = new ConditionalGanTrainer.Options { Conditioning = result.GetValue(Conditioning) };
        foreach (FieldInfo field in typeof(GanTrainer.Options).GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            field.SetValue(conditional, field.GetValue(options));
        }

        Directory.CreateDirectory(outputFolder);
        string modelPath = Path.Combine(outputFolder, "model.zip");
        string samplesPath = Path.Combine(outputFolder, "samples.png");
        Stopwatch clock = Stopwatch.StartNew();
        using ConditionalGanTransformer model = mlContext.Gan().Trainers.ConditionalGan(conditional).Fit(data);
        Console.WriteLine($"Trained in {clock.Elapsed.TotalSeconds:F0} s on the labels {string.Join(", ", model.LabelNames)}.");

        mlContext.Model.Save(model, data.Schema, modelPath);
        var rows = model.LabelNames.SelectMany(label => GanImagesOf(model.Generate(8, label, seed))).ToList();
        GanImages.SaveGrid(rows, samplesPath, columns: 8);
        rows.ForEach(image => image.Dispose());
        Console.WriteLine($"Wrote {Path.GetFullPath(modelPath)} and {Path.GetFullPath(samplesPath)} (one row per label).");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The images <c>gan generate</c> writes from a conditional model in <paramref name="loaded"/> (by --label, or by the
    /// training label distribution), or null when it holds none.
    /// </summary>
    public static Func<int, IDataView>? Generator(ITransformer loaded, string? label, int seed)
    {
        ConditionalGanTransformer? model = loaded as ConditionalGanTransformer
            ?? (loaded as System.Collections.Generic.IEnumerable<ITransformer>)?.OfType<ConditionalGanTransformer>().FirstOrDefault();
        if (model is null)
        {
            return label is null ? null : throw new ArgumentException($"--label {label} needs a conditional model; this one is not conditional.");
        }
        return label is null ? count => model.Generate(count, seed) : count => model.Generate(count, label, seed);
    }

    private static System.Collections.Generic.List<MLImage> GanImagesOf(IDataView view)
    {
        var images = new System.Collections.Generic.List<MLImage>();
        DataViewSchema.Column column = view.Schema["Image"];
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { column });
        ValueGetter<MLImage> getter = cursor.GetGetter<MLImage>(column);
        while (cursor.MoveNext())
        {
            MLImage image = null!;
            getter(ref image);
            images.Add(image);
        }
        return images;
    }
}
