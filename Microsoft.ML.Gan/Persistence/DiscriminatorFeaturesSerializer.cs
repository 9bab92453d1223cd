using System;
using System.IO;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Features;
using Microsoft.ML.Gan.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>The payload of a saved <see cref="DiscriminatorFeaturesTransformer"/>, written inside ML.NET's model zip by <see cref="MlNetBridge"/>.</summary>
/// <remarks>
/// Format history:
/// 1 (library 0.3): int32 format version; source transformer kind, output column (strings); input format: image column
/// (string), grayscale (bool), channels, height, width (int32), input scale (float32); the discriminator's spec:
/// architecture (string), latent dimension, discriminator outputs (int32), spectral normalization, batch norm (bool);
/// grid size (int32); feature count (int32); normalised (bool) and, when true, feature count float32 means then as many
/// standard deviations; the discriminator's weights as an int64 byte count followed by TorchSharp's module.save bytes.
/// </remarks>
internal static class DiscriminatorFeaturesSerializer
{
    private const int FormatVersion = 1;

    public static void Write(BinaryWriter writer, DiscriminatorFeaturesTransformer transformer)
    {
        DiscriminatorFeatureNetwork network = transformer.Network;
        ImageInputFormat input = network.Input;
        NetworkSpec spec = network.Spec;
        writer.Write(FormatVersion);
        writer.Write(network.SourceKind);
        writer.Write(transformer.OutputColumnName);
        ImageInputFormatRecord.Write(writer, input);
        writer.Write(spec.Architecture.ToString());
        writer.Write(spec.LatentDimension);
        writer.Write(spec.DiscriminatorOutputs);
        writer.Write(spec.SpectralNormalization);
        writer.Write(spec.DiscriminatorBatchNorm);
        writer.Write(network.GridSize);
        writer.Write(network.FeatureCount);
        writer.Write(transformer.Standardization is not null);
        if (transformer.Standardization is FeatureStandardization standardization)
        {
            foreach (float mean in standardization.Means)
            {
                writer.Write(mean);
            }
            foreach (float deviation in standardization.StandardDeviations)
            {
                writer.Write(deviation);
            }
        }
        network.WriteWeights(writer);
    }

    public static DiscriminatorFeaturesTransformer Read(BinaryReader reader, Device device)
    {
        int version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException(
                $"This discriminator featurizer was saved in format version {version}; this library reads version {FormatVersion}. Update Microsoft.ML.Gan to load it.");
        }
        string sourceKind = reader.ReadBoundedString("source model kind");
        string outputColumn = reader.ReadBoundedString("feature column name");
        ImageInputFormat input = ImageInputFormatRecord.Read(reader, minimumSide: 1);
        ImageShape shape = input.Shape;
        string architectureName = reader.ReadBoundedString("architecture");
        if (!Enum.TryParse(architectureName, out GanArchitecture architecture) || !Enum.IsDefined(architecture))
        {
            throw new InvalidDataException($"Unknown GanArchitecture '{architectureName}' in the saved featurizer; it may come from a newer library version.");
        }
        var spec = new NetworkSpec(architecture, shape,
            reader.ReadBoundedInt32("latent dimension", 1, PayloadBounds.MaxLatentDimension),
            reader.ReadBoundedInt32("discriminator output count", 1, PayloadBounds.MaxWidth),
            reader.ReadBoolean(), reader.ReadBoolean());
        if (GanNetworkFactory.DescribeUnsupported(spec) is { } unsupported)
        {
            throw new InvalidDataException($"The saved featurizer describes a network this library cannot build: {unsupported}");
        }
        int gridSize = reader.ReadBoundedInt32("grid size", 1, DiscriminatorFeaturesEstimator.MaxGridSize);
        int featureCount = reader.ReadBoundedInt32("feature count", 1, PayloadBounds.MaxWidth);
        FeatureStandardization? standardization = null;
        if (reader.ReadBoolean())
        {
            if (2L * featureCount * sizeof(float) > reader.Remaining())
            {
                throw new InvalidDataException(FormattableString.Invariant(
                    $"The saved featurizer declares {featureCount} standardised features, more than the {reader.Remaining()} bytes left can hold. The file is damaged or was not written by Microsoft.ML.Gan."));
            }
            standardization = new FeatureStandardization(ReadFloats(reader, featureCount), ReadFloats(reader, featureCount));
        }

        byte[] weights = GanModelSerializer.ReadWeights(reader, "discriminator");
        NetworkSize size = NetworkSize.Of(spec);
        PayloadBounds.CheckWeightsFit("discriminator", size.Parameters - size.GeneratorParameters, weights.Length,
            FormattableString.Invariant($"a {architecture} discriminator of images {shape} with {spec.DiscriminatorOutputs} output(s)"));
        nn.Module<Tensor, Tensor> module;
        using (var initRandom = new torch.Generator(0))
        {
            module = GanNetworkFactory.CreateDiscriminator(spec, initRandom);
        }
        DiscriminatorFeatureNetwork? network = null;
        try
        {
            GanModelSerializer.LoadWeights(module, weights, "discriminator");
            module.to(device);
            network = new DiscriminatorFeatureNetwork(spec, input, gridSize, module, device, sourceKind);
            if (network.FeatureCount != featureCount)
            {
                throw new InvalidDataException(FormattableString.Invariant(
                    $"The saved featurizer declares {featureCount} features; its network gives {network.FeatureCount}. The file is damaged or was not written by Microsoft.ML.Gan."));
            }
            return new DiscriminatorFeaturesTransformer(network, standardization, outputColumn);
        }
        catch (ArgumentException e)
        {
            (network ?? (IDisposable)module).Dispose();
            throw new InvalidDataException($"The saved featurizer cannot be rebuilt: {e.Message}", e);
        }
        catch
        {
            (network ?? (IDisposable)module).Dispose();
            throw;
        }
    }

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = reader.ReadSingle();
        }
        return values;
    }
}
