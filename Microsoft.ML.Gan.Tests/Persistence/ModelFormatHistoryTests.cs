using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Networks;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using Microsoft.ML.Gan.Transformers;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>
/// Payloads in every earlier format still load: format 1 (before the generator average) reads as "no average", format 2
/// (before the output column names) reads as <c>Score</c> and <c>Latent</c>, and the bridge's format-1 entry (before the
/// checksum) loads as it did.
/// </summary>
[TestFixture]
public class ModelFormatHistoryTests
{
    [Test]
    public void FormatOnePayloadLoadsWithTheSameGeneratorAndNoAverage()
    {
        var shape = new ImageShape(1, 8, 8);
        var spec = new NetworkSpec(GanArchitecture.Mlp, shape, 4, 1, false, true);
        using var initRandom = new torch.Generator(3);
        var history = new List<GanTrainingRecord> { new(10, 1, 0.5f, 0.7f, 0.6f, 0.4f) };
        using var model = new GanModel(spec, GanLoss.NonSaturating, new ImageInputFormat("Image", false, shape, 1f),
            GanNetworkFactory.CreateGenerator(spec, initRandom), GanNetworkFactory.CreateDiscriminator(spec, initRandom), CPU, history, generatorEmaDecay: 0.99);

        byte[] current = Write(model);
        byte[] formatOne = ToFormatOne(ToFormatTwo(current));
        using GanModel loadedCurrent = GanModelSerializer.Read(new BinaryReader(new MemoryStream(current)), CPU);
        using GanModel loadedOne = GanModelSerializer.Read(new BinaryReader(new MemoryStream(formatOne)), CPU);

        Assert.That(loadedCurrent.GeneratorEmaDecay, Is.EqualTo(0.99));
        Assert.That(loadedOne.GeneratorEmaDecay, Is.Null);
        Assert.That(loadedOne.History, Is.EqualTo(history));
        // Same weights; libtorch may pick kernels whose float sums differ in the last bit between two modules.
        Assert.That(Generate(loadedOne), Is.EqualTo(Generate(model)).Within(1e-6f));
    }

    [Test]
    public void FormatTwoPayloadLoadsWithTodaysDefaultOutputColumnNames()
    {
        var shape = new ImageShape(1, 8, 8);
        var spec = new NetworkSpec(GanArchitecture.Mlp, shape, 4, 1, false, true);
        using var initRandom = new torch.Generator(3);
        using var model = new GanModel(spec, GanLoss.NonSaturating, new ImageInputFormat("Image", false, shape, 1f),
            GanNetworkFactory.CreateGenerator(spec, initRandom), GanNetworkFactory.CreateDiscriminator(spec, initRandom), CPU,
            new List<GanTrainingRecord>(), generatorEmaDecay: 0.99)
        {
            ScoreColumnName = "GanScore",
            LatentColumnName = "Code",
        };

        byte[] current = Write(model);
        using GanModel loadedCurrent = GanModelSerializer.Read(new BinaryReader(new MemoryStream(current)), CPU);
        using GanModel loadedTwo = GanModelSerializer.Read(new BinaryReader(new MemoryStream(ToFormatTwo(current))), CPU);

        Assert.That((loadedCurrent.ScoreColumnName, loadedCurrent.LatentColumnName), Is.EqualTo(("GanScore", "Code")));
        Assert.That((loadedTwo.ScoreColumnName, loadedTwo.LatentColumnName), Is.EqualTo(("Score", "Latent")));
        Assert.That(loadedTwo.GeneratorEmaDecay, Is.EqualTo(0.99));
        Assert.That(Generate(loadedTwo), Is.EqualTo(Generate(model)).Within(1e-6f));
    }

    [Test]
    public void BridgeFormatOneEntryWithoutChecksumLoadsTheSameModel()
    {
        var mlContext = new MLContext(seed: 1);
        using var model = (GanTransformer)UntrainedModels.Create(mlContext, "Gan");
        byte[] zip = ModelZip.Save(mlContext, model);
        (string kind, byte[] payload) = ModelZip.Unseal(ModelZip.PayloadEntry(zip));

        // Format 1 of the payload entry: the same header with version 1, and no SHA-256 after the payload.
        var formatOne = new MemoryStream();
        using (var writer = new BinaryWriter(formatOne))
        {
            writer.Write(1);
            writer.Write(1);
            writer.Write(kind);
            writer.Write((long)payload.Length);
            writer.Write(payload);
        }
        using var loaded = (GanTransformer)ModelZip.Load(ModelZip.WithPayloadEntry(zip, formatOne.ToArray()));

        Assert.That(ModelZip.Unseal(ModelZip.PayloadEntry(ModelZip.Save(mlContext, loaded))).Payload, Is.EqualTo(payload));
    }

    private static byte[] Write(GanModel model)
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            GanModelSerializer.Write(writer, model, includeDiscriminator: true);
        }
        return buffer.ToArray();
    }

    // Format 2 is format 3 without the two output column names after the average's decay, with version 2.
    private static byte[] ToFormatTwo(byte[] current)
    {
        using var reader = new BinaryReader(new MemoryStream(current));
        Assert.That(reader.ReadInt32(), Is.EqualTo(3));
        reader.ReadString();
        reader.ReadString();
        reader.ReadBytes(5 * sizeof(int) + 2);
        reader.ReadString();
        reader.ReadBytes(1 + sizeof(float));
        Assert.That(reader.ReadBoolean(), Is.False);
        int records = reader.ReadInt32();
        reader.ReadBytes(records * 24 + sizeof(double));
        int namesAt = (int)reader.BaseStream.Position;
        reader.ReadString();
        reader.ReadString();
        int weightsAt = (int)reader.BaseStream.Position;
        byte[] result = current.Take(namesAt).Concat(current.Skip(weightsAt)).ToArray();
        result[0] = 2;
        return result;
    }

    // Format 1 is format 2 of an unconditional model without the has-conditioning bool after the input scale and the
    // float64 after the history, with version 1.
    private static byte[] ToFormatOne(byte[] current)
    {
        using var reader = new BinaryReader(new MemoryStream(current));
        Assert.That(reader.ReadInt32(), Is.EqualTo(2));
        reader.ReadString();
        reader.ReadString();
        reader.ReadBytes(5 * sizeof(int) + 2);
        reader.ReadString();
        reader.ReadBytes(1 + sizeof(float));
        int conditioningAt = (int)reader.BaseStream.Position;
        Assert.That(reader.ReadBoolean(), Is.False);
        int records = reader.ReadInt32();
        reader.ReadBytes(records * 24);
        int averageAt = (int)reader.BaseStream.Position;
        byte[] result = current.Take(conditioningAt).Concat(current.Skip(conditioningAt + 1).Take(averageAt - conditioningAt - 1))
            .Concat(current.Skip(averageAt + sizeof(double))).ToArray();
        result[0] = 1;
        return result;
    }

    private static float[] Generate(GanModel model)
    {
        var latents = Enumerable.Range(0, 8).Select(i => (i - 4) / 4f).ToArray();
        var images = new float[2 * 64];
        model.Generate(latents, 2, images);
        return images;
    }
}
