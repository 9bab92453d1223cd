using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// One call of a trainer's <c>Fit</c>: the steps every trainer takes, in order, with what differs left to each
/// trainer. Checks come first and cost nothing — options, columns, network sizes, memory — then the session takes the
/// checkpoint folder and the data, the trainer builds its networks and game from one seeded generator,
/// <see cref="GanTrainingLoop"/> plays the game, and the trainer wraps the trained networks in its transformer.
/// </summary>
/// <typeparam name="TTransformer">What the trainer's <c>Fit</c> returns.</typeparam>
/// <remarks>Build one per <c>Fit</c>: a subclass may keep the networks it built until it wraps them.</remarks>
internal abstract class TrainerFit<TTransformer>
{
    private readonly string _hostName;
    private readonly string _activity;

    /// <param name="context">The trainer's MLContext.</param>
    /// <param name="options">The trainer's options.</param>
    /// <param name="hostName">The trainer's name, which is the log source.</param>
    /// <param name="activity">What is trained, for logs and messages ("GAN", "O-GAN", "conditional GAN").</param>
    protected TrainerFit(MLContext context, GanTrainer.Options options, string hostName, string activity)
    {
        Context = context;
        Options = options;
        _hostName = hostName;
        _activity = activity;
    }

    protected MLContext Context { get; }

    protected GanTrainer.Options Options { get; }

    /// <summary>Trains on <paramref name="input"/>; see the trainers' <c>Fit</c> for what it throws.</summary>
    public TTransformer Run(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Options.Validate();
        ImageColumnReader reader = ImageColumnReader.Create(input.Schema, Options.ImageColumnName, Options.Grayscale);
        LabelColumnReader? labelReader = CreateLabelReader(input.Schema);
        NetworkSpec spec = CreateSpec(reader.Shape);
        TrainingMemory.Require(spec, Options, input);

        using var session = new FitSession(Context, _hostName, _activity, Options.Seed);
        using TrainingBatchSource data = session.OpenTrainingData(input, reader, labelReader, Options);

        // Networks live outside every dispose scope: they must survive the steps. All draw their weights from one seeded generator.
        using AdaptiveAugmentationStrength? strength = Options.CreateAugmentationStrength(session.Device);
        DifferentiableAugmentation? augmentation = Options.CreateAugmentation();
        if (strength != null)
        {
            augmentation = augmentation!.WithStrength(strength);
        }
        AdversarialGame game;
        using (var initRandom = new torch.Generator((ulong)session.Seed))
        {
            game = CreateGame(spec, data, session.Channel, initRandom, AdversarialLoss.Create(Options.Loss), Options.Regularizers().ToList(),
                augmentation);
        }
        try
        {
            game.Generator.to(session.Device);
            game.Discriminator.to(session.Device);
            List<GanTrainingRecord> history = new GanTrainingLoop(Options, spec, session.Device, session.Channel, session.IsCanceled)
                .Run(game, data, session.Seed);
            var format = new ImageInputFormat(Options.ImageColumnName, Options.Grayscale, reader.Shape, reader.InputScale);
            return CreateTransformer(new TrainedNetworks(spec, format, session.Device, session.Channel, session.Seed, history));
        }
        catch
        {
            game.Generator.Dispose();
            game.Discriminator.Dispose();
            throw;
        }
    }

    /// <summary>The label column's reader, for a trainer that reads labels; null otherwise.</summary>
    protected virtual LabelColumnReader? CreateLabelReader(DataViewSchema schema) => null;

    /// <summary>The networks to build for images of <paramref name="shape"/>; throws if they cannot be built.</summary>
    protected virtual NetworkSpec CreateSpec(ImageShape shape) => GanTrainer.CreateSpec(Options, shape);

    /// <summary>Builds the networks, drawing every initial weight from <paramref name="initRandom"/>, and the game that trains them.</summary>
    /// <param name="spec">The networks' shape.</param>
    /// <param name="data">The opened training data (its class counts, for a conditional trainer).</param>
    /// <param name="channel">The training log.</param>
    /// <param name="initRandom">Draws the initial weights.</param>
    /// <param name="loss">The loss's score terms.</param>
    /// <param name="regularizers">The terms the options add (<see cref="GanTrainer.Options.Regularizers"/>).</param>
    /// <param name="augmentation">The augmentation the options ask for, or null.</param>
    protected abstract AdversarialGame CreateGame(NetworkSpec spec, TrainingBatchSource data, IChannel channel, torch.Generator initRandom,
        AdversarialLoss loss, IReadOnlyList<Regularizer> regularizers, DifferentiableAugmentation? augmentation);

    /// <summary>The trained networks, now in eval mode, as the trainer's transformer (which takes ownership of them).</summary>
    protected abstract TTransformer CreateTransformer(TrainedNetworks trained);
}
