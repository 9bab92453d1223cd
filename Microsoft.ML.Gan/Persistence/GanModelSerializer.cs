using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// The payload of a saved GAN model, written inside ML.NET's model zip by <see cref="MlNetBridge"/>.
/// </summary>
/// <remarks>
/// Format history:
/// 1 (library 0.1): int32 format version; architecture, loss (strings); latent dimension, discriminator outputs,
/// channels, height, width (int32); spectral normalization, discriminator batch norm (bool); image column (string),
/// grayscale (bool), input scale (float32); history count (int32) then per record step, epoch (int32) and four float32;
/// generator weights, then (when the has-discriminator bool is true) discriminator weights, each as an int64 byte count
/// followed by TorchSharp's module.save bytes.
/// 2: as 1, plus after the history the decay of the generator's moving average (float64; 0 when the generator holds
/// the trained weights themselves).
/// </remarks>
internal static class GanModelSerializer
{
    private const int FormatVersion = 2;

    public static void Write(BinaryWriter writer, GanModel model, bool includeDiscriminator)
    {
        NetworkSpec spec = model.Spec;
        writer.Write(FormatVersion);
        writer.Write(spec.Architecture.ToString());
        writer.Write(model.Loss.ToString());
        writer.Write(spec.LatentDimension);
        writer.Write(spec.DiscriminatorOutputs);
        writer.Write(spec.Shape.Channels);
        writer.Write(spec.Shape.Height);
        writer.Write(spec.Shape.Width);
        writer.Write(spec.SpectralNormalization);
        writer.Write(spec.DiscriminatorBatchNorm);
        writer.Write(model.Input.ColumnName);
        writer.Write(model.Input.Grayscale);
        writer.Write(model.Input.InputScale);

        writer.Write(model.History.Count);
        foreach (GanTrainingRecord record in model.History)
        {
            writer.Write(record.Step);
            writer.Write(record.Epoch);
            writer.Write(record.DiscriminatorLoss);
            writer.Write(record.GeneratorLoss);
            writer.Write(record.RealScore);
            writer.Write(record.FakeScore);
        }
        writer.Write(model.GeneratorEmaDecay ?? 0);

        model.WithNetworks((generator, discriminator) =>
        {
            WriteModule(writer, generator);
            bool writeDiscriminator = includeDiscriminator && discriminator != null;
            writer.Write(writeDiscriminator);
            if (writeDiscriminator)
            {
                WriteModule(writer, discriminator!);
            }
        });
    }

    /// <param name="reader">Positioned at the format version.</param>
    /// <param name="device">Where the networks go.</param>
    /// <param name="createDiscriminator">Builds the discriminator the saved weights belong to; null builds the architecture's plain one.</param>
    public static GanModel Read(BinaryReader reader, Device device,
        Func<NetworkSpec, torch.Generator, nn.Module<Tensor, Tensor>>? createDiscriminator = null)
    {
        int version = reader.ReadInt32();
        if (version < 1 || version > FormatVersion)
        {
            throw new InvalidDataException(
                $"This GAN model was saved in format version {version}; this library reads version {FormatVersion}. Update Microsoft.ML.Gan to load it.");
        }
        GanArchitecture architecture = ParseEnum<GanArchitecture>(reader.ReadString());
        GanLoss loss = ParseEnum<GanLoss>(reader.ReadString());
        int latent = reader.ReadInt32();
        int discriminatorOutputs = reader.ReadInt32();
        var shape = new ImageShape(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        bool spectralNormalization = reader.ReadBoolean();
        bool discriminatorBatchNorm = reader.ReadBoolean();
        var input = new ImageInputFormat(reader.ReadString(), reader.ReadBoolean(), shape, reader.ReadSingle());

        int historyCount = reader.ReadInt32();
        var history = new List<GanTrainingRecord>(historyCount);
        for (int i = 0; i < historyCount; i++)
        {
            history.Add(new GanTrainingRecord(reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle()));
        }
        double emaDecay = version >= 2 ? reader.ReadDouble() : 0;

        var spec = new NetworkSpec(architecture, shape, latent, discriminatorOutputs, spectralNormalization, discriminatorBatchNorm);
        using var initRandom = new Generator(0);
        nn.Module<Tensor, Tensor> generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
        nn.Module<Tensor, Tensor>? discriminator = null;
        try
        {
            ReadModule(reader, generator, "generator");
            if (reader.ReadBoolean())
            {
                discriminator = createDiscriminator?.Invoke(spec, initRandom) ?? GanNetworkFactory.CreateDiscriminator(spec, initRandom);
                ReadModule(reader, discriminator, "discriminator");
            }
            generator.to(device);
            discriminator?.to(device);
            return new GanModel(spec, loss, input, generator, discriminator, device, history, emaDecay > 0 ? emaDecay : null);
        }
        catch
        {
            generator.Dispose();
            discriminator?.Dispose();
            throw;
        }
    }

    private static void WriteModule(BinaryWriter writer, nn.Module module)
    {
        // TorchSharp's save closes the stream it is given, so it writes to its own buffer.
        var buffer = new MemoryStream();
        module.save(buffer);
        byte[] bytes = buffer.ToArray();
        writer.Write((long)bytes.Length);
        writer.Write(bytes);
    }

    private static void ReadModule(BinaryReader reader, nn.Module module, string name)
    {
        long length = reader.ReadInt64();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"The saved {name} weights are truncated: {length} bytes announced.");
        }
        byte[] bytes = reader.ReadBytes((int)length);
        try
        {
            module.load(new MemoryStream(bytes));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new InvalidDataException($"The saved {name} weights do not fit the network described in the model: {e.Message}", e);
        }
    }

    private static TEnum ParseEnum<TEnum>(string text) where TEnum : struct, Enum =>
        Enum.TryParse(text, out TEnum value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"Unknown {typeof(TEnum).Name} '{text}' in the saved model; it may come from a newer library version.");
}
