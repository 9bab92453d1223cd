using System.IO;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Transformers;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>The payload of a saved O-GAN model (transformer or encoder alone).</summary>
/// <remarks>
/// Format history:
/// 1 (library 0.2): int32 format version; score head (bool); then a <see cref="GanModelSerializer"/> payload with the
/// discriminator, whose weights are the <see cref="OGanCritic"/>'s (encoder, then head).
/// </remarks>
internal static class OGanModelSerializer
{
    private const int FormatVersion = 1;

    public static void Write(BinaryWriter writer, OGanModel model)
    {
        writer.Write(FormatVersion);
        writer.Write(model.HasScoreHead);
        GanModelSerializer.Write(writer, model.Gan, includeDiscriminator: true);
    }

    public static OGanModel Read(BinaryReader reader, Device device)
    {
        int version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException(
                $"This O-GAN model was saved in format version {version}; this library reads version {FormatVersion}. Update Microsoft.ML.Gan to load it.");
        }
        bool scoreHead = reader.ReadBoolean();
        GanModel gan = GanModelSerializer.Read(reader, device, (spec, initRandom) => new OGanCritic(spec, scoreHead, initRandom));
        if (!gan.HasDiscriminator)
        {
            gan.Dispose();
            throw new InvalidDataException("The saved O-GAN model has no encoder weights.");
        }
        return new OGanModel(gan);
    }
}
