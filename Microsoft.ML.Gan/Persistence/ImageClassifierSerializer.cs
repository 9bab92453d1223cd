using System;
using System.IO;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>The payload of a saved <see cref="ImageClassifierTransformer"/>, written inside ML.NET's model zip by <see cref="MlNetBridge"/>.</summary>
/// <remarks>
/// Format history:
/// 1 (library 0.1): int32 format version; image column (string), grayscale (bool), channels, height, width (int32),
/// input scale (float32); feature dimension, class count (int32); class count class names (string); the network's
/// weights as an int64 byte count followed by TorchSharp's module.save bytes.
/// </remarks>
internal static class ImageClassifierSerializer
{
    private const int FormatVersion = 1;

    public static void Write(BinaryWriter writer, ImageClassifierTransformer classifier, ImageClassifierNetwork network)
    {
        ImageInputFormat input = classifier.Input;
        writer.Write(FormatVersion);
        writer.Write(input.ColumnName);
        writer.Write(input.Grayscale);
        writer.Write(input.Shape.Channels);
        writer.Write(input.Shape.Height);
        writer.Write(input.Shape.Width);
        writer.Write(input.InputScale);
        writer.Write(classifier.FeatureDimension);
        writer.Write(classifier.ClassCount);
        foreach (string name in classifier.ClassNames)
        {
            writer.Write(name);
        }

        // TorchSharp's save closes the stream it is given, so it writes to its own buffer.
        var buffer = new MemoryStream();
        network.save(buffer);
        byte[] bytes = buffer.ToArray();
        writer.Write((long)bytes.Length);
        writer.Write(bytes);
    }

    public static ImageClassifierTransformer Read(BinaryReader reader, Device device)
    {
        int version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException(
                $"This image classifier was saved in format version {version}; this library reads version {FormatVersion}. Update Microsoft.ML.Gan to load it.");
        }

        string column = reader.ReadString();
        bool grayscale = reader.ReadBoolean();
        var shape = new ImageShape(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        var input = new ImageInputFormat(column, grayscale, shape, reader.ReadSingle());
        int featureDimension = reader.ReadInt32();
        int classes = reader.ReadInt32();
        if ((shape.Channels != 1 && shape.Channels != 3) || shape.Height < ImageClassifierNetwork.MinimumSide || shape.Width < ImageClassifierNetwork.MinimumSide
            || featureDimension < 1 || classes < 2)
        {
            throw new InvalidDataException($"The saved image classifier is corrupt: image shape {shape}, {featureDimension} features, {classes} classes.");
        }

        var names = new string[classes];
        for (int i = 0; i < classes; i++)
        {
            names[i] = reader.ReadString();
        }

        long length = reader.ReadInt64();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"The saved image classifier weights are truncated: {length} bytes announced.");
        }

        byte[] bytes = reader.ReadBytes((int)length);
        var network = new ImageClassifierNetwork(shape, featureDimension, classes);
        try
        {
            network.load(new MemoryStream(bytes));
            network.to(device);
            return new ImageClassifierTransformer(network, device, input, featureDimension, names);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            network.Dispose();
            throw new InvalidDataException($"The saved image classifier weights do not fit the network described in the model: {e.Message}", e);
        }
    }
}
