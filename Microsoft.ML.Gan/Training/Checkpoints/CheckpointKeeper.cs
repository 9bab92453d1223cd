using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Training.Checkpoints;

/// <summary>
/// The training loop's side of checkpoints: resuming, writing on schedule, and rolling back after a divergence. Does
/// nothing when neither <see cref="GanTrainer.Options.CheckpointDirectory"/> nor <see cref="GanTrainer.Options.ResumeFrom"/> is set.
/// Every checkpoint it writes records the run's identity (<see cref="RunIdentity"/>): its settings, its seed and its data's
/// fingerprint, which is computed once, here, when checkpoints are in use.
/// </summary>
internal sealed class CheckpointKeeper
{
    private readonly GanTrainer.Options _options;
    private readonly IChannel _channel;
    private readonly Device _device;
    private readonly CheckpointStore? _store;
    private RunIdentity _identity;
    private int _lastSavedStep = -1;

    /// <param name="options">The trainer's options.</param>
    /// <param name="channel">Where resumes, writes and warnings are reported.</param>
    /// <param name="settings">The settings a resume must match.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="data">The training data, fingerprinted when checkpoints are in use.</param>
    /// <param name="device">The training device.</param>
    public CheckpointKeeper(GanTrainer.Options options, IChannel channel, IReadOnlyList<KeyValuePair<string, string>> settings,
        int seed, TrainingBatchSource data, Device device)
    {
        _options = options;
        _channel = channel;
        _device = device;
        _store = options.CheckpointDirectory is { } directory
            ? new CheckpointStore(directory, options.KeepCheckpoints, options.OpenCheckpointFile)
            : null;
        bool used = _store != null || options.ResumeFrom != null;
        _identity = new RunIdentity(settings, seed, used ? Fingerprint(data) : null);
    }

    /// <summary>The newest checkpoint written or resumed from, or null.</summary>
    public string? Latest => _store?.Latest;

    /// <summary>
    /// Restores <see cref="GanTrainer.Options.ResumeFrom"/>, after checking that its settings and data match this run's
    /// and that <see cref="GanTrainer.Options.CheckpointDirectory"/> holds no other run's checkpoints. Every check comes
    /// before anything is restored or written.
    /// </summary>
    public void Resume(TrainingState state)
    {
        if (_options.ResumeFrom is not { } resumeFrom)
        {
            return;
        }
        (TrainingCheckpoint Checkpoint, string Path)? resumed = CheckpointStore.Load(resumeFrom, _channel);
        if (resumed is var (found, foundPath))
        {
            RequireSameRun(found, foundPath);
            // The run continues under its first seed, whatever this Fit's: its random states come from the checkpoint.
            _identity = _identity with { Seed = found.Identity.Seed ?? _identity.Seed, Data = found.Identity.Data ?? _identity.Data };
        }
        _store?.RequireOnlyCheckpointsOf(_identity, resumed?.Path, resumeFrom);
        if (resumed is not var (checkpoint, path))
        {
            _channel.Info(MessageSensitivity.None, $"No checkpoint in '{resumeFrom}' yet: training from the start.");
            return;
        }
        if (!state.Restore(checkpoint, path))
        {
            _channel.Warning(MessageSensitivity.None,
                $"Checkpoint '{path}' was written on {checkpoint.DeviceType}, this run is on {_device.type}: weights and optimiser state continue exactly, the noise stream does not.");
        }
        if (_store != null)
        {
            _store.Latest = path;
            _lastSavedStep = state.Step;
        }
        _channel.Info(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
            "Resumed from {0} at generator update {1} (epoch {2}, batch {3}).", path, state.Step, state.Epoch, state.Batch));
    }

    /// <summary>Writes a checkpoint before the first update when rollbacks are on, so there is always one to go back to.</summary>
    public void SaveInitial(TrainingState state, DivergenceGuard guard)
    {
        if (_store?.Latest == null && _options.DivergenceRollbacks > 0)
        {
            Save(state, guard);
        }
    }

    /// <summary>Writes a checkpoint when the update just made is a multiple of <see cref="GanTrainer.Options.CheckpointEveryNSteps"/>.</summary>
    public void SaveIfDue(TrainingState state, DivergenceGuard guard)
    {
        if (_store != null && state.Step % _options.CheckpointEveryNSteps == 0)
        {
            Save(state, guard);
        }
    }

    /// <summary>Writes the final state, unless the last checkpoint already holds it.</summary>
    public void SaveFinal(TrainingState state, DivergenceGuard guard)
    {
        if (_store != null && _lastSavedStep != state.Step)
        {
            Save(state, guard);
        }
    }

    /// <summary>
    /// On cancellation: writes the state after the last finished update, unless the last checkpoint already holds it
    /// (a stopping pod loses no update).
    /// </summary>
    /// <returns>The checkpoint holding the current update, or null when checkpoints are off.</returns>
    public string? SaveOnCancel(TrainingState state, DivergenceGuard guard)
    {
        if (_store != null && _lastSavedStep != state.Step)
        {
            Save(state, guard);
        }
        return _store?.Latest;
    }

    public bool CanRollBack(TrainingState state) => _store != null && state.RollbacksUsed < _options.DivergenceRollbacks;

    /// <summary>Goes back to the newest readable checkpoint with both learning rates lowered.</summary>
    public void RollBack(TrainingState state, DivergenceGuard guard, GanTrainingDivergedException diverged)
    {
        int rollbacks = state.RollbacksUsed;
        double scale = state.LearningRateScale;
        (TrainingCheckpoint checkpoint, string path) = _store!.LoadNewest(_channel) ?? throw diverged.WithContext(state.History, Latest);
        state.Restore(checkpoint, path);
        state.RecordRollback(rollbacks, scale, _options.RollbackLearningRateFactor);
        guard.Reset(state.Step);
        _lastSavedStep = state.Step;
        _channel.Warning(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
            "{0} Rolled back to {1} (generator update {2}) with learning rates × {3:g3}; rollback {4} of {5}.",
            diverged.Message, path, state.Step, state.LearningRateScale, state.RollbacksUsed, _options.DivergenceRollbacks));
    }

    private DataFingerprint Fingerprint(TrainingBatchSource data)
    {
        var clock = Stopwatch.StartNew();
        DataFingerprint fingerprint = data.Fingerprint();
        _channel.Info(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
            "Fingerprinted the {0} training images{1} for checkpoints in {2:F2} s: SHA-256 {3}.",
            data.Count, fingerprint.Labels is null ? string.Empty : " and labels", clock.Elapsed.TotalSeconds, fingerprint.Images));
        return fingerprint;
    }

    private void RequireSameRun(TrainingCheckpoint checkpoint, string path)
    {
        List<string> mismatches = checkpoint.Identity.Mismatches(_identity.Settings);
        if (mismatches.Count > 0)
        {
            throw new ArgumentException(
                $"Checkpoint '{path}' was made with other settings, so training cannot continue from it exactly. Use the checkpoint's values: " +
                string.Join("; ", mismatches) + ".", nameof(GanTrainer.Options.ResumeFrom));
        }
        if (checkpoint.Identity.Data is not { } trained)
        {
            _channel.Warning(MessageSensitivity.None,
                $"Checkpoint '{path}' was written before checkpoints recorded their training data: that this run's data is the same is not checked.");
            return;
        }
        List<string> differences = trained.Differences(_identity.Data!);
        if (differences.Count > 0)
        {
            throw new ArgumentException(
                $"Checkpoint '{path}' was trained on other data of the same count and shape, so training cannot continue from it exactly: " +
                string.Join("; ", differences) + ". Resume with the data it was trained on, or start a new run in an empty CheckpointDirectory.",
                nameof(GanTrainer.Options.ResumeFrom));
        }
    }

    // Pending divergence checks are read first: a checkpoint never holds diverged weights.
    private void Save(TrainingState state, DivergenceGuard guard)
    {
        guard.Flush(state.Step);
        string path = _store!.Save(state.Capture(_identity));
        _lastSavedStep = state.Step;
        _channel.Info(MessageSensitivity.None, $"Checkpoint of generator update {state.Step} written to {path}.");
    }
}
