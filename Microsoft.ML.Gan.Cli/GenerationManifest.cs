using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.Gan.Persistence;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// <c>gan-generate.json</c> in a <c>gan generate</c> output folder: what made the images there (the model file's
/// SHA-256, the seed, the truncation, the class and the format). Image i is a function of these and i alone, so a folder
/// whose manifest matches can be continued (<c>--skip-existing</c>) or merged with other shards, and one that does not
/// match is refused instead of being mixed with another run's images.
/// </summary>
internal sealed record GenerationManifest(string Format, string ModelSha256, int Seed, double? Truncation, string? Label)
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "gan-generate.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The manifest of a run of <paramref name="modelPath"/> with these settings.</summary>
    public static GenerationManifest For(string modelPath, string format, int seed, double? truncation, string? label)
    {
        using FileStream model = File.OpenRead(modelPath);
        return new GenerationManifest(format, Convert.ToHexStringLower(SHA256.HashData(model)), seed, truncation, label);
    }

    /// <summary>The manifest in <paramref name="folder"/>, or null when there is none.</summary>
    /// <exception cref="ArgumentException">The file is there but is not a manifest (names <paramref name="optionName"/>).</exception>
    public static GenerationManifest? Read(string folder, string optionName)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<GenerationManifest>(File.ReadAllText(path), Json)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{optionName} '{folder}' holds a {FileName} that cannot be read ({e.Message}); delete it, or pass --overwrite to replace the folder's images and it.", e);
        }
    }

    /// <summary>Writes this manifest into <paramref name="folder"/> atomically.</summary>
    public void Write(string folder) =>
        AtomicFile.WriteAllBytes(Path.Combine(folder, FileName), JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <summary>How this manifest differs from <paramref name="wanted"/>, such as "seed 3 (this run: 4)"; empty when they match.</summary>
    public IReadOnlyList<string> DifferencesFrom(GenerationManifest wanted)
    {
        var differences = new List<string>();
        void Compare<T>(string what, T had, T want)
        {
            if (!EqualityComparer<T>.Default.Equals(had, want))
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {Show(had)} (this run: {Show(want)})"));
            }
        }
        Compare("a model with SHA-256", ModelSha256, wanted.ModelSha256);
        Compare("seed", Seed, wanted.Seed);
        Compare("truncation", Truncation, wanted.Truncation);
        Compare("label", Label, wanted.Label);
        Compare("format", Format, wanted.Format);
        return differences;
    }

    private static string Show<T>(T value) => value switch
    {
        null => "none",
        string text when text.Length == 64 => text[..12] + "…",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
