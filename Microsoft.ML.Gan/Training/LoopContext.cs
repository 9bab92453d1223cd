using System.Diagnostics;
using Microsoft.ML.Gan.Training.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training;

/// <summary>What <see cref="GanTrainingLoop"/> works with during one run: its sizes, its state and its batches.</summary>
internal sealed record LoopContext(
    AdversarialGame Game,
    TrainingState State,
    DivergenceGuard Guard,
    CheckpointKeeper Checkpoints,
    TrainingBatchSource Data,
    Tensor DiscriminatorSums,
    Tensor GeneratorSum,
    int LastStep,
    int Epochs,
    Stopwatch Clock);
