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
        ImageInputFormatRecord.Write(writer, input);
        writer.Write(classifier.FeatureDimension);
        writer.Write(classifier.ClassCount);
        foreach (string name in classifier.ClassNames)
        {
            writer.Write(name);
        }

        GanModelSerializer.WriteModule(writer, network, "image classifier");
    }

    public static ImageClassifierTransformer Read(BinaryReader reader, Device device)
    {
        int version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException(
                $"This image classifier was saved in format version {version}; this library reads version {FormatVersion}. Update Microsoft.ML.Gan to load it.");
        }

        ImageInputFormat input = ImageInputFormatRecord.Read(reader, ImageClassifierNetwork.MinimumSide);
        ImageShape shape = input.Shape;
        int featureDimension = reader.ReadBoundedInt32("feature dimension", 1, PayloadBounds.MaxWidth);
        // Each class name takes at least its length byte.
        int classes = reader.ReadBoundedInt32("class count", 2, PayloadBounds.MaxWidth);
        if (classes > reader.Remaining())
        {
            throw new InvalidDataException(
                $"The model declares {classes} classes, more than the {reader.Remaining()} bytes left can name. The file is damaged or was not written by Microsoft.ML.Gan.");
        }

        var names = new string[classes];
        for (int i = 0; i < classes; i++)
        {
            names[i] = reader.ReadBoundedString("class name");
        }

        byte[] weights = GanModelSerializer.ReadWeights(reader, "image classifier");
        PayloadBounds.CheckWeightsFit("image classifier", ImageClassifierNetwork.ParameterCount(shape, featureDimension, classes), weights.Length,
            $"an image classifier of images {shape}, {featureDimension} features and {classes} classes");
        var network = new ImageClassifierNetwork(shape, featureDimension, classes);
        try
        {
            GanModelSerializer.LoadWeights(network, weights, "image classifier");
            network.to(device);
            return new ImageClassifierTransformer(network, device, input, featureDimension, names);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
