using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>What a training run hands to the model it becomes.</summary>
internal sealed record TrainedNetworks(nn.Module<Tensor, Tensor> Generator, nn.Module<Tensor, Tensor> Discriminator, IReadOnlyList<GanTrainingRecord> History);
