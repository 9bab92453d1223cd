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
/// 2: version 1's fields up to the input scale; a has-conditioning bool and, when true, label column (string),
/// conditioning method (string), key raw type (string: Byte, UInt16, UInt32 or UInt64), class count K (int32),
/// has-names (bool) and K names (strings), K training frequencies (float64); the history as in version 1; the decay of
/// the generator's moving average (float64; 0 when the generator holds the trained weights themselves); the weights as
/// in version 1, the networks being <see cref="ConditionalGenerator"/> and <see cref="ConditionalDiscriminator"/> for a
/// conditional model.
/// 3: version 2's fields up to the moving average's decay; then the output column names, score then O-GAN code (strings;
/// versions 1 and 2 read as <c>Score</c> and <c>Latent</c>); the weights as in version 1.
/// </remarks>
internal static class GanModelSerializer
{
    private const int FormatVersion = 3;

    // Step, epoch (int32) and four float32.
    private const int HistoryRecordBytes = 2 * sizeof(int) + 4 * sizeof(float);

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
        writer.Write(model.Conditioning is not null);
        if (model.Conditioning is LabelConditioning conditioning)
        {
            WriteConditioning(writer, conditioning);
        }

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
        writer.Write(model.ScoreColumnName);
        writer.Write(model.LatentColumnName);

        model.WithNetworks((generator, discriminator) =>
        {
            WriteModule(writer, generator, "generator");
            bool writeDiscriminator = includeDiscriminator && discriminator != null;
            writer.Write(writeDiscriminator);
            if (writeDiscriminator)
            {
                WriteModule(writer, discriminator!, "discriminator");
            }
        });
    }

    /// <summary>Reads a model written by <see cref="Write"/> in any format version up to this library's.</summary>
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
                $"This GAN model was saved in format version {version}; this library reads versions 1 to {FormatVersion}. Update Microsoft.ML.Gan to load it.");
        }
        GanArchitecture architecture = ParseEnum<GanArchitecture>(reader.ReadBoundedString("architecture"));
        GanLoss loss = ParseEnum<GanLoss>(reader.ReadBoundedString("loss"));
        int latent = reader.ReadBoundedInt32("latent dimension", 1, PayloadBounds.MaxLatentDimension);
        int discriminatorOutputs = reader.ReadBoundedInt32("discriminator output count", 1, PayloadBounds.MaxWidth);
        var shape = new ImageShape(
            reader.ReadImageChannels(),
            reader.ReadBoundedInt32("image height", 1, PayloadBounds.MaxImageSide),
            reader.ReadBoundedInt32("image width", 1, PayloadBounds.MaxImageSide));
        bool spectralNormalization = reader.ReadBoolean();
        bool discriminatorBatchNorm = reader.ReadBoolean();
        var input = new ImageInputFormat(reader.ReadBoundedString("image column name"), reader.ReadBoolean(), shape, reader.ReadSingle());
        LabelConditioning? conditioning = version >= 2 && reader.ReadBoolean() ? ReadConditioning(reader) : null;

        int historyCount = reader.ReadCount("training history length", HistoryRecordBytes);
        var history = new List<GanTrainingRecord>(historyCount);
        for (int i = 0; i < historyCount; i++)
        {
            history.Add(new GanTrainingRecord(reader.ReadInt32(), reader.ReadInt32(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle(), reader.ReadSingle()));
        }
        double emaDecay = version >= 2 ? reader.ReadDouble() : 0;
        double? generatorEmaDecay = emaDecay > 0 ? emaDecay : null;
        var outputs = version >= 3
            ? new OutputColumns(reader.ReadBoundedString("score column name"), reader.ReadBoundedString("latent column name"))
            : OutputColumns.Default;

        var spec = new NetworkSpec(architecture, shape, latent, discriminatorOutputs, spectralNormalization, discriminatorBatchNorm);
        if (GanNetworkFactory.DescribeUnsupported(spec) is { } unsupported)
        {
            throw new InvalidDataException($"The saved model describes networks this library cannot build: {unsupported}");
        }

        // Every size is checked against the bytes that hold the weights before any network is built.
        byte[] generatorWeights = ReadWeights(reader, "generator");
        byte[]? discriminatorWeights = reader.ReadBoolean() ? ReadWeights(reader, "discriminator") : null;
        int classes = conditioning?.Labels.Count ?? 0;
        string described = Describe(spec, classes);
        PayloadBounds.CheckWeightsFit("generator", NetworkSize.Of(spec with { LatentDimension = spec.LatentDimension + classes }).GeneratorParameters,
            generatorWeights.Length, described);
        if (discriminatorWeights is not null)
        {
            NetworkSpec discriminatorSpec = conditioning is null
                ? spec
                : spec with { DiscriminatorOutputs = ConditionalDiscriminator.OutputsFor(classes, conditioning.Method) };
            NetworkSize size = NetworkSize.Of(discriminatorSpec);
            PayloadBounds.CheckWeightsFit("discriminator", size.Parameters - size.GeneratorParameters, discriminatorWeights.Length, described);
        }

        if (conditioning is not null)
        {
            return ReadConditionalNetworks(spec, loss, input, device, history, conditioning, generatorEmaDecay, outputs, generatorWeights, discriminatorWeights);
        }
        using var initRandom = new Generator(0);
        nn.Module<Tensor, Tensor> generator = GanNetworkFactory.CreateGenerator(spec, initRandom);
        nn.Module<Tensor, Tensor>? discriminator = null;
        try
        {
            LoadWeights(generator, generatorWeights, "generator");
            if (discriminatorWeights is not null)
            {
                discriminator = createDiscriminator?.Invoke(spec, initRandom) ?? GanNetworkFactory.CreateDiscriminator(spec, initRandom);
                LoadWeights(discriminator, discriminatorWeights, "discriminator");
            }
            generator.to(device);
            discriminator?.to(device);
            return new GanModel(spec, loss, input, generator, discriminator, device, history, generatorEmaDecay)
            {
                ScoreColumnName = outputs.Score,
                LatentColumnName = outputs.Latent,
            };
        }
        catch
        {
            generator.Dispose();
            discriminator?.Dispose();
            throw;
        }
    }

    private static GanModel ReadConditionalNetworks(NetworkSpec spec, GanLoss loss, ImageInputFormat input, Device device,
        List<GanTrainingRecord> history, LabelConditioning conditioning, double? generatorEmaDecay, OutputColumns outputs, byte[] generatorWeights,
        byte[]? discriminatorWeights)
    {
        int classes = conditioning.Labels.Count;
        using var initRandom = new Generator(0);
        ConditionalGenerator generator = GanNetworkFactory.CreateConditionalGenerator(spec, classes, initRandom);
        ConditionalDiscriminator? discriminator = null;
        try
        {
            LoadWeights(generator, generatorWeights, "generator");
            if (discriminatorWeights is not null)
            {
                discriminator = GanNetworkFactory.CreateConditionalDiscriminator(spec, classes, conditioning.Method, initRandom);
                LoadWeights(discriminator, discriminatorWeights, "discriminator");
            }
            generator.to(device);
            discriminator?.to(device);
            return new GanModel(spec, loss, input, generator, discriminator, device, history, conditioning, generatorEmaDecay)
            {
                ScoreColumnName = outputs.Score,
                LatentColumnName = outputs.Latent,
            };
        }
        catch
        {
            generator.Dispose();
            discriminator?.Dispose();
            throw;
        }
    }

    private static void WriteConditioning(BinaryWriter writer, LabelConditioning conditioning)
    {
        ClassLabels labels = conditioning.Labels;
        writer.Write(conditioning.ColumnName);
        writer.Write(conditioning.Method.ToString());
        writer.Write(labels.KeyType.RawType.Name);
        writer.Write(labels.Count);
        writer.Write(labels.Names is not null);
        for (int i = 0; i < labels.Count && labels.Names is not null; i++)
        {
            writer.Write(labels.Names[i]);
        }
        foreach (double frequency in labels.Frequencies)
        {
            writer.Write(frequency);
        }
    }

    private static LabelConditioning ReadConditioning(BinaryReader reader)
    {
        string column = reader.ReadBoundedString("label column name");
        ConditioningMethod method = ParseEnum<ConditioningMethod>(reader.ReadBoundedString("conditioning method"));
        string rawType = reader.ReadBoundedString("label key type");
        Type raw = rawType switch
        {
            nameof(Byte) => typeof(byte),
            nameof(UInt16) => typeof(ushort),
            nameof(UInt32) => typeof(uint),
            nameof(UInt64) => typeof(ulong),
            _ => throw new InvalidDataException($"Unknown label key type '{rawType}' in the saved model."),
        };
        int classes = reader.ReadBoundedInt32("class count", 2, PayloadBounds.MaxWidth);
        bool hasNames = reader.ReadBoolean();
        // Each class has a frequency (8 bytes) and, when named, at least a length byte.
        long perClass = sizeof(double) + (hasNames ? 1 : 0);
        if (classes * perClass > reader.Remaining())
        {
            throw new InvalidDataException(
                $"The model declares {classes} classes, more than the {reader.Remaining()} bytes left can describe. The file is damaged or was not written by Microsoft.ML.Gan.");
        }
        string[]? names = null;
        if (hasNames)
        {
            names = new string[classes];
            for (int i = 0; i < classes; i++)
            {
                names[i] = reader.ReadBoundedString("class name");
            }
        }
        var frequencies = new double[classes];
        for (int i = 0; i < classes; i++)
        {
            frequencies[i] = reader.ReadDouble();
        }
        try
        {
            var labels = new ClassLabels(new Microsoft.ML.Data.KeyDataViewType(raw, (ulong)classes), names, frequencies);
            return new LabelConditioning(column, labels, method);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved model's {classes} classes do not fit its label key type {rawType}: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="module"/>'s weights; refuses NaN or infinite ones, which no loaded model may hold.</summary>
    internal static void WriteModule(BinaryWriter writer, nn.Module module, string name)
    {
        if (FiniteWeights.FindNonFinite(module) is { } tensor)
        {
            throw new InvalidOperationException(
                $"The {name}'s tensor '{tensor}' holds NaN or infinite values, so the model was not saved: training diverged. " +
                "Train again with lower learning rates, or from a checkpoint taken before the divergence.");
        }
        // TorchSharp's save closes the stream it is given, so it writes to its own buffer.
        var buffer = new MemoryStream();
        module.save(buffer);
        byte[] bytes = buffer.ToArray();
        writer.Write((long)bytes.Length);
        writer.Write(bytes);
    }

    /// <summary>The bytes of weights written by <see cref="WriteModule"/>, for <see cref="LoadWeights"/>.</summary>
    internal static byte[] ReadWeights(BinaryReader reader, string name)
    {
        long length = reader.ReadInt64();
        if (length < 0 || length > reader.Remaining())
        {
            throw new InvalidDataException($"The saved {name} weights are truncated: {length} bytes announced, {reader.Remaining()} left.");
        }
        return reader.ReadBytes((int)length);
    }

    /// <summary>Loads <paramref name="weights"/> into <paramref name="module"/>, built as the payload describes; refuses NaN or infinite values.</summary>
    internal static void LoadWeights(nn.Module module, byte[] weights, string name)
    {
        try
        {
            module.load(new MemoryStream(weights, writable: false));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new InvalidDataException($"The saved {name} weights do not fit the network described in the model: {e.Message}", e);
        }
        if (FiniteWeights.FindNonFinite(module) is { } tensor)
        {
            throw new InvalidDataException(
                $"The saved {name}'s tensor '{tensor}' holds NaN or infinite values; such a model cannot generate anything. " +
                "The file is damaged or was saved from a diverged training run by an older Microsoft.ML.Gan.");
        }
    }

    private static string Describe(NetworkSpec spec, int classes) => FormattableString.Invariant(
        $"a model ({spec.Architecture}) of latent dimension {spec.LatentDimension}, images {spec.Shape}, {spec.DiscriminatorOutputs} discriminator output(s)")
        + (classes > 0 ? FormattableString.Invariant($" and {classes} classes") : "");

    // The names a model saved before format 3 used.
    private sealed record OutputColumns(string Score, string Latent)
    {
        public static readonly OutputColumns Default = new(GanTrainer.Options.Defaults.ScoreColumnName, OGanTrainer.Options.OGanDefaults.LatentColumnName);
    }

    private static TEnum ParseEnum<TEnum>(string text) where TEnum : struct, Enum =>
        Enum.TryParse(text, out TEnum value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"Unknown {typeof(TEnum).Name} '{text}' in the saved model; it may come from a newer library version.");
}
