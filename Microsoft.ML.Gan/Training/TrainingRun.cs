using System.Diagnostics;
using Microsoft.ML.Gan.Training.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>What <see cref="GanTrainingLoop"/> works with during one run: its sizes, its state and the data on the device.</summary>
internal sealed record TrainingRun(
    AdversarialGame Game,
    TrainingState State,
    DivergenceGuard Guard,
    CheckpointKeeper Checkpoints,
    Tensor Data,
    Tensor? Labels,
    Tensor DiscriminatorSums,
    Tensor GeneratorSum,
    int BatchSize,
    long BatchesPerEpoch,
    int LastStep,
    int Epochs,
    Stopwatch Clock);
