using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Tests.TestData;
using Microsoft.ML.Gan.Tests.TestSupport;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>A damaged model file is an error that says so, never a model that silently computes something else.</summary>
[TestFixture]
public class ModelIntegrityTests
{
    private readonly MLContext _mlContext = new(seed: 1);

    private static IEnumerable<string> Kinds => UntrainedModels.Kinds;

    [TestCaseSource(nameof(Kinds))]
    public void EveryFlippedBitOfThePayloadIsReportedAsDamage(string kind)
    {
        byte[] zip = Save(kind);
        byte[] entry = ModelZip.PayloadEntry(zip);
        string entryName = ModelZip.PayloadEntryName(zip);

        foreach ((int position, int bit) in Flips(entry.Length, samples: 48))
        {
            byte[] damaged = (byte[])entry.Clone();
            damaged[position] ^= (byte)(1 << bit);

            Exception? error = Assert.Catch(() => Dispose(ModelZip.Load(ModelZip.WithPayloadEntry(zip, damaged), _mlContext)),
                $"byte {position} bit {bit} of {entry.Length} loaded");

            Exception? explained = MlNetBridge.ExplainLoadFailure(error!);
            Assert.That(explained, Is.TypeOf<InvalidDataException>(), $"byte {position} bit {bit}: {error}");
            Assert.That(explained!.Message, Does.Contain("damaged").And.Contain("checksum").And.Contain(entryName),
                $"byte {position} bit {bit}");
        }
    }

    [TestCaseSource(nameof(Kinds))]
    public void TruncatedPayloadIsReportedAsDamage(string kind)
    {
        byte[] zip = Save(kind);
        byte[] entry = ModelZip.PayloadEntry(zip);

        foreach (int length in new[] { 0, 3, 7, entry.Length / 2, entry.Length - MlNetBridge.ChecksumLength, entry.Length - 1 })
        {
            byte[] truncated = ModelZip.WithPayloadEntry(zip, entry.Take(length).ToArray());

            Exception? error = Assert.Catch(() => Dispose(ModelZip.Load(truncated, _mlContext)), $"{length} of {entry.Length} bytes loaded");

            Exception? explained = MlNetBridge.ExplainLoadFailure(error!);
            Assert.That(explained, Is.TypeOf<InvalidDataException>(), $"{length} bytes: {error}");
            Assert.That(explained!.Message, Does.Contain("damaged").Or.Contain("ends too early"), $"{length} bytes");
        }
    }

    /// <summary>
    /// ML.NET's entries must match the CRC-32 the zip's central directory records for them; ML.NET 5 reads entries
    /// without checking it. (The library's own entry is checked by its SHA-256, above.)
    /// </summary>
    [Test]
    public void MlNetEntryNotMatchingItsZipCrcIsReportedAsDamage()
    {
        byte[] zip = Save("Gan");
        List<(string Name, int CrcAt)> entries = CentralDirectory(zip).Where(e => !e.Name.EndsWith(MlNetBridge.PayloadEntryName)).ToList();
        Assert.That(entries.Select(e => e.Name), Has.Some.EndsWith("Model.key").And.Some.EndsWith("Version.txt"));

        foreach ((string name, int crcAt) in entries)
        {
            byte[] damaged = (byte[])zip.Clone();
            damaged[crcAt] ^= 0x10;

            Exception? error = Assert.Catch(() => Dispose(ModelZip.Load(damaged, _mlContext)), $"{name} loaded with a wrong CRC");

            Exception? explained = MlNetBridge.ExplainLoadFailure(error!);
            Assert.That(explained, Is.TypeOf<InvalidDataException>(), $"{name}: {error}");
            Assert.That(explained!.Message, Does.Contain("damaged").And.Contain("CRC-32").And.Contain(name));
        }
    }

    [Test]
    public void TruncatedFileNeverLoads()
    {
        byte[] zip = Save("Gan");

        foreach (int length in new[] { 0, 22, zip.Length / 4, zip.Length / 2, 3 * zip.Length / 4, zip.Length - 22, zip.Length - 1 })
        {
            Exception? error = Assert.Catch(() => Dispose(ModelZip.Load(zip.Take(length).ToArray(), _mlContext)), $"{length} of {zip.Length} bytes loaded");
            Assert.That(error!.Message, Is.Not.Empty);
        }
    }

    /// <summary>
    /// Flips anywhere in the zip, ML.NET's entries and the zip's own headers included: each either fails to load or
    /// loads exactly the saved model (a flip in a field nobody reads, such as a timestamp).
    /// </summary>
    [TestCase("Gan")]
    [TestCase("Classifier")]
    public void FlippedBitAnywhereInTheFileNeverLoadsADifferentModel(string kind)
    {
        byte[] zip = Save(kind);
        byte[] payload = ModelZip.PayloadEntry(zip);
        int refused = 0;

        List<(int Position, int Bit)> flips = Flips(zip.Length, samples: 64).ToList();
        foreach ((int position, int bit) in flips)
        {
            byte[] damaged = (byte[])zip.Clone();
            damaged[position] ^= (byte)(1 << bit);
            ITransformer loaded;
            try
            {
                loaded = ModelZip.Load(damaged, _mlContext);
            }
            catch (Exception e) when (e is not AssertionException)
            {
                refused++;
                continue;
            }
            byte[] again = ModelZip.PayloadEntry(ModelZip.Save(_mlContext, loaded));
            Dispose(loaded);
            Assert.That(again, Is.EqualTo(payload), $"byte {position} bit {bit} of {zip.Length} loaded a different model");
        }
        TestContext.Out.WriteLine($"{refused} of {flips.Count} flips refused; the others changed nothing the model is made of.");
    }

    private byte[] Save(string kind)
    {
        ITransformer model = UntrainedModels.Create(_mlContext, kind);
        try
        {
            return ModelZip.Save(_mlContext, model);
        }
        finally
        {
            Dispose(model);
        }
    }

    // The first and last 8 bytes (versions, checksum), then positions spread evenly over the rest; the flipped bit
    // cycles through all 8 so every bit position is covered.
    private static IEnumerable<(int Position, int Bit)> Flips(int length, int samples)
    {
        var positions = new SortedSet<int>();
        for (int i = 0; i < 8; i++)
        {
            positions.Add(i);
            positions.Add(length - 1 - i);
        }
        for (int i = 0; i < samples; i++)
        {
            positions.Add((int)((long)i * (length - 1) / (samples - 1)));
        }
        return positions.Select((position, i) => (position, i % 8));
    }

    // The name of each entry in the zip's central directory and where its recorded CRC-32 lies (APPNOTE 4.3.12, 4.3.16).
    private static List<(string Name, int CrcAt)> CentralDirectory(byte[] zip)
    {
        const int endRecordLength = 22;
        int end = zip.Length - endRecordLength;
        Assert.That(BitConverter.ToUInt32(zip, end), Is.EqualTo(0x06054b50u), "end of central directory record");
        int count = BitConverter.ToUInt16(zip, end + 10);
        int at = (int)BitConverter.ToUInt32(zip, end + 16);
        var entries = new List<(string, int)>();
        for (int i = 0; i < count; i++)
        {
            Assert.That(BitConverter.ToUInt32(zip, at), Is.EqualTo(0x02014b50u), "central directory header");
            int nameLength = BitConverter.ToUInt16(zip, at + 28);
            int extraLength = BitConverter.ToUInt16(zip, at + 30);
            int commentLength = BitConverter.ToUInt16(zip, at + 32);
            entries.Add((System.Text.Encoding.UTF8.GetString(zip, at + 46, nameLength), at + 16));
            at += 46 + nameLength + extraLength + commentLength;
        }
        return entries;
    }

    private static void Dispose(ITransformer model) => (model as IDisposable)?.Dispose();
}
