using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// The trainer's <see cref="GanTrainer.Options.ProgressCallback"/> for <c>gan train</c>: drives the progress display,
/// writes a sample grid per epoch and logs to TensorBoard.
/// </summary>
internal sealed class TrainingMonitor
{
    /// <summary>Images per grid: 8 rows of 8.</summary>
    public const int GridImages = 64;

    private readonly TrainingProgressDisplay _display;
    private readonly string _samplesFolder;
    private readonly int _seed;
    private readonly TensorBoardLog? _tensorBoard;
    private int _lastRecordStep;

    /// <param name="display">Where progress and messages go.</param>
    /// <param name="samplesFolder">The folder of the per-epoch grids <c>epoch_001.png</c>, ...</param>
    /// <param name="seed">The latent seed of the grids: every grid shows the same latent vectors, as <c>gan generate --seed</c> does.</param>
    /// <param name="tensorBoard">The TensorBoard log, or null.</param>
    public TrainingMonitor(TrainingProgressDisplay display, string samplesFolder, int seed, TensorBoardLog? tensorBoard)
    {
        _display = display;
        _samplesFolder = samplesFolder;
        _seed = seed;
        _tensorBoard = tensorBoard;
    }

    /// <summary>The grid written at the end of the latest epoch, or null before the first epoch ends.</summary>
    public string? LatestGrid { get; private set; }

    /// <summary>Handles one report from the training loop (on the training thread, which waits for it).</summary>
    public void OnProgress(GanTrainingProgress progress)
    {
        _display.Report(progress);
        if (progress.LatestRecord is { } record && record.Step > _lastRecordStep)
        {
            _lastRecordStep = record.Step;
            _tensorBoard?.AddScalars(record);
        }
        if (progress.IsEpochEnd)
        {
            WriteEpochGrid(progress);
        }
    }

    private void WriteEpochGrid(GanTrainingProgress progress)
    {
        string path = Path.Combine(_samplesFolder, string.Create(CultureInfo.InvariantCulture, $"epoch_{progress.Epoch:D3}.png"));
        IReadOnlyList<MLImage> images = progress.SampleImages(GridImages, _seed);
        try
        {
            GanImages.SaveGrid(images, path, columns: 8);
        }
        finally
        {
            foreach (MLImage image in images)
            {
                image.Dispose();
            }
        }
        _tensorBoard?.AddImage(path, progress.Step);
        LatestGrid = path;
        _display.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {progress.Epoch}/{progress.Epochs} done at step {progress.Step}/{progress.TotalSteps} ({TrainingProgressDisplay.Clock(progress.Elapsed)}): {path}"));
    }
}
