using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Microsoft.ML;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// What the conditional GAN adds to the tool: <c>gan train --trainer conditional --labels FILE</c> and
/// <c>gan generate --label NAME</c>.
/// </summary>
internal static class ConditionalCommands
{
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

    /// <summary>The tool's defaults and every common flag, plus the conditioning method.</summary>
    public static ConditionalGanTrainer.Options CreateOptions(ParseResult result, OptionBinder<GanTrainer.Options> common)
    {
        GanTrainer.Options tool = GanTrainerFlags.ToolDefaults();
        var options = new ConditionalGanTrainer.Options { Epochs = tool.Epochs, LogEveryNSteps = tool.LogEveryNSteps, Seed = tool.Seed };
        common.Apply(result, options);
        options.Conditioning = result.GetValue(Conditioning);
        return options;
    }

    /// <summary>The IDX images of <paramref name="dataPath"/> with the labels --labels names, as LoadFromIdxFile gives them.</summary>
    public static IDataView LoadData(MLContext mlContext, ParseResult result, string dataPath, Action<string> describe)
    {
        string labelsPath = result.GetValue(Labels)
            ?? throw new ArgumentException("--trainer conditional needs --labels: the IDX labels file of the --data images.");
        if (Directory.Exists(dataPath))
        {
            throw new ArgumentException("--trainer conditional reads IDX files: give --data an IDX images file and --labels its labels file.");
        }
        string[]? names = result.GetValue(LabelNames)?.Split(',').Select(name => name.Trim()).ToArray();
        IDataView data = mlContext.Data.LoadFromIdxFile(dataPath, labelsPath, names);
        describe($"Read {dataPath} with labels {labelsPath}.");
        return data;
    }

    /// <summary>
    /// The images <c>gan generate</c> writes from a conditional model in <paramref name="loaded"/> (by --label, or by the
    /// training label distribution), from a first index and a count, or null when it holds none.
    /// </summary>
    public static Func<long, int, IDataView>? Generator(ITransformer loaded, string? label, int seed, double? truncation)
    {
        ConditionalGanTransformer? model = loaded as ConditionalGanTransformer
            ?? (loaded as System.Collections.Generic.IEnumerable<ITransformer>)?.OfType<ConditionalGanTransformer>().FirstOrDefault();
        if (model is null)
        {
            return label is null ? null : throw new ArgumentException($"--label {label} needs a conditional model; this one is not conditional.");
        }
        return label is null
            ? (first, count) => model.Generate(count, seed, first, truncation)
            : (first, count) => model.Generate(count, label, seed, first, truncation);
    }
}
