using System.IO;
using TorchSharp.Modules;
using static TorchSharp.torch.utils.tensorboard;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// <c>--tensorboard DIR</c>: the training curves and the per-epoch sample grids as a TensorBoard event file
/// (<c>tensorboard --logdir DIR</c>), written through TorchSharp's SummaryWriter, which appends each event to the file
/// as it comes, so a crash loses nothing already logged.
/// </summary>
internal sealed class TensorBoardLog
{
    /// <summary>The scalar tags, named as the progress display names the quantities.</summary>
    public const string DiscriminatorLossTag = "loss_D", GeneratorLossTag = "loss_G", RealScoreTag = "D(x)", FakeScoreTag = "D(G(z))";

    /// <summary>The tag of the sample grid images.</summary>
    public const string SamplesTag = "samples";

    private readonly SummaryWriter _writer;

    /// <param name="folder">The log folder (created if needed); each run adds its own events file.</param>
    public TensorBoardLog(string folder)
    {
        Directory.CreateDirectory(folder);
        _writer = SummaryWriter(folder);
    }

    /// <summary>The four training curves at the record's generator step.</summary>
    public void AddScalars(GanTrainingRecord record)
    {
        _writer.add_scalar(DiscriminatorLossTag, record.DiscriminatorLoss, record.Step);
        _writer.add_scalar(GeneratorLossTag, record.GeneratorLoss, record.Step);
        _writer.add_scalar(RealScoreTag, record.RealScore, record.Step);
        _writer.add_scalar(FakeScoreTag, record.FakeScore, record.Step);
    }

    /// <summary>An image file (the epoch's PNG grid) at a generator step; TensorBoard shows one slider per tag.</summary>
    public void AddImage(string pngPath, int step) => _writer.add_img(SamplesTag, pngPath, step);
}
