using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Cli;

/// <summary><c>gan train --tensorboard DIR</c>: the event file TensorBoard reads, parsed back record by record.</summary>
[TestFixture]
public class TensorBoardTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gan-cli-tb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void EventFileHoldsTheFourCurvesAtEveryLogPointAndOneGridPerEpoch()
    {
        string images = Path.Combine(_folder, "images");
        string logs = Path.Combine(_folder, "logs");
        TestImageFolder.Write(images, 8);
        // 8 images in batches of 4: 2 generator updates per epoch, 4 in all, logged every update.
        var result = CliRunner.Run("train", "--images", images, "--output", Path.Combine(_folder, "out"), "--tensorboard", logs,
            "--architecture", "Mlp", "--latent", "4", "--batch-size", "4", "--epochs", "2", "--log-every", "1", "--progress", "none");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        List<Tensorboard.Event> events = ReadEvents(Directory.GetFiles(logs, "events.out.tfevents.*").Single());
        var scalars = events.Where(e => e.Summary != null).SelectMany(e => e.Summary.Value.Select(v => (e.Step, v))).ToList();
        foreach (string tag in new[] { "loss_D", "loss_G", "D(x)", "D(G(z))" })
        {
            var curve = scalars.Where(s => s.v.Tag == tag).ToList();
            Assert.That(curve.Select(s => s.Step), Is.EqualTo(new long[] { 1, 2, 3, 4 }), tag);
            Assert.That(curve.All(s => float.IsFinite(s.v.SimpleValue)), tag);
        }

        var grids = scalars.Where(s => s.v.Tag == "samples").ToList();
        Assert.That(grids.Select(s => s.Step), Is.EqualTo(new long[] { 2, 4 }), "one grid at the end of each epoch");
        byte[] png = grids[^1].v.Image.EncodedImageString.ToByteArray();
        string decoded = Path.Combine(_folder, "decoded.png");
        File.WriteAllBytes(decoded, png);
        using MLImage grid = MLImage.CreateFromFile(decoded);
        Assert.That((grid.Width, grid.Height), Is.EqualTo((8 * 8 + 9 * 2, 8 * 8 + 9 * 2)));
    }

    // TFRecord framing: uint64 length, uint32 masked CRC of the length, the serialized Event, uint32 masked CRC of it.
    private static List<Tensorboard.Event> ReadEvents(string path)
    {
        var events = new List<Tensorboard.Event>();
        using var reader = new BinaryReader(File.OpenRead(path));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            long length = reader.ReadInt64();
            reader.ReadUInt32();
            events.Add(Tensorboard.Event.Parser.ParseFrom(reader.ReadBytes((int)length)));
            reader.ReadUInt32();
        }
        return events;
    }
}
