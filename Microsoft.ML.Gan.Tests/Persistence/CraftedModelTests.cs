using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>
/// Model files whose sizes were crafted (with a valid checksum, so only the bounds stand in the way): each is refused
/// with an error naming the field, before a network is built, allocating no more than a few times the file.
/// </summary>
[TestFixture]
public class CraftedModelTests
{
    // Weights bytes in every crafted file: a few MB, as a real small model.
    private const int FillerBytes = 3 << 20;

    private readonly MLContext _mlContext = new(seed: 1);
    private readonly Dictionary<string, byte[]> _zips = new();

    [OneTimeSetUp]
    public void SaveOneModelOfEachKind()
    {
        foreach (string kind in new[] { "Gan", "Conditional", "OGan", "Classifier" })
        {
            ITransformer model = UntrainedModels.Create(_mlContext, kind);
            _zips[kind] = ModelZip.Save(_mlContext, model);
            // A first load, so one-time costs (loader registration, JIT) stay out of the measured allocations.
            (ModelZip.Load(_zips[kind], _mlContext) as IDisposable)?.Dispose();
            (model as IDisposable)?.Dispose();
        }
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        var gan = new GanFields();
        yield return Case("Gan", gan with { Latent = int.MaxValue }, "latent dimension of 2147483647");
        yield return Case("Gan", gan with { Latent = -5 }, "latent dimension of -5");
        yield return Case("Gan", gan with { Latent = 1 << 20 }, "generator weights (");
        yield return Case("Gan", gan with { Height = 1 << 30 }, "image height of 1073741824");
        yield return Case("Gan", gan with { Width = -1 }, "image width of -1");
        yield return Case("Gan", gan with { Height = 1 << 14, Width = 1 << 14 }, "generator weights (");
        yield return Case("Gan", gan with { Architecture = "Dcgan", Height = 1 << 14, Width = 1 << 14, Latent = 512 }, "generator weights (");
        yield return Case("Gan", gan with { Channels = 1000 }, "images of 1000 channels");
        yield return Case("Gan", gan with { Outputs = int.MaxValue }, "discriminator output count of 2147483647");
        yield return Case("Gan", gan with { Outputs = 1 << 21, HasDiscriminator = true }, "discriminator weights (");
        yield return Case("Gan", gan with { ColumnLength = 1 << 30 }, "image column name of 1073741824 bytes");
        yield return Case("Gan", gan with { ArchitectureLength = 1 << 28 }, "architecture of 268435456 bytes");
        yield return Case("Gan", gan with { History = -1 }, "training history length of -1");
        yield return Case("Gan", gan with { History = 1 << 28 }, "training history length of 268435456");
        yield return Case("Gan", gan with { WeightsLength = long.MaxValue }, "generator weights are truncated");
        var conditional = gan with { Classes = 3 };
        yield return Case("Conditional", conditional with { Classes = int.MaxValue }, "class count of 2147483647");
        yield return Case("Conditional", conditional with { Classes = -2 }, "class count of -2");
        yield return Case("Conditional", conditional with { Classes = 1 << 21 }, "2097152 classes");
        yield return Case("Conditional", conditional with { ClassNameLength = 1 << 30 }, "class name of 1073741824 bytes");
        yield return Case("Conditional", conditional with { Classes = 300, KeyType = "Byte" }, "label key type Byte");
        yield return Case("OGan", gan with { OGan = true, Latent = int.MaxValue }, "latent dimension of 2147483647");
        yield return Case("OGan", gan with { OGan = true, Latent = 1 << 20, Outputs = 1 << 20 }, "generator weights (");
        var classifier = new ClassifierFields();
        yield return Case("Classifier", classifier with { Features = int.MaxValue }, "feature dimension of 2147483647");
        yield return Case("Classifier", classifier with { Features = 1 << 20, Height = 256, Width = 256 }, "image classifier weights (");
        yield return Case("Classifier", classifier with { Classes = -1 }, "class count of -1");
        yield return Case("Classifier", classifier with { Height = 1 << 30 }, "image height of 1073741824");
        yield return Case("Classifier", classifier with { ClassNameLength = 1 << 30 }, "class name of 1073741824 bytes");
    }

    private static TestCaseData Case(string kind, object fields, string expected) =>
        new TestCaseData(kind, fields, expected).SetArgDisplayNames(kind, fields.ToString()!.Replace(" ", ""));

    [TestCaseSource(nameof(Cases))]
    public void CraftedSizeIsRefusedNamingTheField_WithoutAllocatingMoreThanTheFile(string kind, object fields, string expected)
    {
        byte[] payload = fields is GanFields gan ? gan.Write() : ((ClassifierFields)fields).Write();
        byte[] zip = ModelZip.WithPayload(_zips[kind], _ => payload);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = Assert.Catch(() => (ModelZip.Load(zip, _mlContext) as IDisposable)?.Dispose());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Exception? explained = MlNetBridge.ExplainLoadFailure(error!);
        Assert.That(explained, Is.TypeOf<InvalidDataException>(), error!.ToString());
        Assert.That(explained!.Message, Does.Contain(expected));
        TestContext.Out.WriteLine($"{explained.Message}\n{allocated / 1e6:F1} MB allocated for a {zip.Length / 1e6:F1} MB file");
        Assert.That(allocated, Is.LessThan(4L * zip.Length), "bytes allocated");
    }

    /// <summary>The fields of a GAN payload (format 2) and what the file says about them.</summary>
    public sealed record GanFields
    {
        public string Architecture { get; init; } = "Mlp";
        public int? ArchitectureLength { get; init; }
        public int Latent { get; init; } = 4;
        public int Outputs { get; init; } = 1;
        public int Channels { get; init; } = 1;
        public int Height { get; init; } = 8;
        public int Width { get; init; } = 8;
        public int? ColumnLength { get; init; }
        public int Classes { get; init; }
        public int? ClassNameLength { get; init; }
        public string KeyType { get; init; } = "UInt32";
        public int History { get; init; }
        public long? WeightsLength { get; init; }
        public bool HasDiscriminator { get; init; }
        public bool OGan { get; init; }

        public byte[] Write()
        {
            var buffer = new MemoryStream();
            using var writer = new BinaryWriter(buffer);
            if (OGan)
            {
                writer.Write(1);
                writer.Write(false);
            }
            writer.Write(2);
            WriteString(writer, Architecture, ArchitectureLength);
            writer.Write("NonSaturating");
            writer.Write(Latent);
            writer.Write(Outputs);
            writer.Write(Channels);
            writer.Write(Height);
            writer.Write(Width);
            writer.Write(false);
            writer.Write(true);
            WriteString(writer, "Image", ColumnLength);
            writer.Write(false);
            writer.Write(1f);
            writer.Write(Classes != 0);
            if (Classes != 0)
            {
                writer.Write("Label");
                writer.Write("Projection");
                writer.Write(KeyType);
                writer.Write(Classes);
                writer.Write(true);
                // A plausible class count gets all its names and frequencies; an absurd one, three names.
                int written = Classes is > 0 and <= 1000 ? Classes : 3;
                for (int i = 0; i < written; i++)
                {
                    WriteString(writer, "class", ClassNameLength);
                }
                for (int i = 0; i < written && Classes <= 1000; i++)
                {
                    writer.Write(1.0 / Classes);
                }
            }
            writer.Write(History);
            writer.Write(0.0);
            WriteFiller(writer, WeightsLength);
            writer.Write(HasDiscriminator || OGan);
            if (HasDiscriminator || OGan)
            {
                WriteFiller(writer, null);
            }
            writer.Flush();
            return buffer.ToArray();
        }
    }

    /// <summary>The fields of an image classifier payload (format 1).</summary>
    public sealed record ClassifierFields
    {
        public int Height { get; init; } = 8;
        public int Width { get; init; } = 8;
        public int Features { get; init; } = 8;
        public int Classes { get; init; } = 3;
        public int? ClassNameLength { get; init; }

        public byte[] Write()
        {
            var buffer = new MemoryStream();
            using var writer = new BinaryWriter(buffer);
            writer.Write(1);
            writer.Write("Image");
            writer.Write(false);
            writer.Write(1);
            writer.Write(Height);
            writer.Write(Width);
            writer.Write(1f);
            writer.Write(Features);
            writer.Write(Classes);
            for (int i = 0; i < Math.Min(Classes, 3); i++)
            {
                WriteString(writer, "class", ClassNameLength);
            }
            WriteFiller(writer, null);
            writer.Flush();
            return buffer.ToArray();
        }
    }

    // A string, or with a declared length of its own, the length a crafted file claims.
    private static void WriteString(BinaryWriter writer, string value, int? declaredLength)
    {
        if (declaredLength is null)
        {
            writer.Write(value);
            return;
        }
        writer.Write7BitEncodedInt(declaredLength.Value);
        writer.Write(System.Text.Encoding.UTF8.GetBytes(value));
    }

    // A weights block of FillerBytes bytes that are no weights at all.
    private static void WriteFiller(BinaryWriter writer, long? declaredLength)
    {
        var filler = new byte[FillerBytes];
        new Random(7).NextBytes(filler);
        writer.Write(declaredLength ?? filler.Length);
        writer.Write(filler);
    }
}
