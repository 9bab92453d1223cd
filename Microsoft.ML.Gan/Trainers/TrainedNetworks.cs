using System.Collections.Generic;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>What <see cref="TrainerFit{TTransformer}"/> hands a trainer with its trained networks, to build its model from.</summary>
/// <param name="Spec">The networks' shape.</param>
/// <param name="Input">How the model reads images like the training column.</param>
/// <param name="Device">Where the networks are.</param>
/// <param name="Channel">The training log, still open.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="History">The training record.</param>
internal sealed record TrainedNetworks(NetworkSpec Spec, ImageInputFormat Input, Device Device, IChannel Channel, int Seed,
    IReadOnlyList<GanTrainingRecord> History);
