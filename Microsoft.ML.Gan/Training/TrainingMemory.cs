using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Gan.Networks;

namespace Microsoft.ML.Gan.Training;

/// <summary>
/// The memory a training run needs at least, estimated from the options and the image size before any data is read
/// or any network built, and refused with a message naming the option to change when it exceeds the machine's memory.
/// </summary>
/// <remarks>
/// Without this, an absurd BatchSize, LatentDimension or image size reaches libtorch, which fails with pages of C++
/// frames (or, below the kernel's overcommit limit, gets the process killed). The estimate is a floor:
/// 4-byte weights, gradients and both Adam moments (16 bytes per parameter, 4 more per generator parameter with an EMA
/// copy), plus the activations of one batch through G and D (<see cref="NetworkSize.ActivationsPerImage"/>; measured for
/// the 28×28 DCGAN, the process's peak grows by about 0.36 MB per image of batch against the estimate's 0.41 MB).
/// </remarks>
internal sealed class TrainingMemory
{
    private const double BytesPerValue = sizeof(float);
    private const double BytesPerParameter = 4 * BytesPerValue;

    private readonly NetworkSpec _spec;
    private readonly NetworkSize _size;
    private readonly double _parameterBytes;

    private TrainingMemory(NetworkSpec spec, GanTrainer.Options options)
    {
        _spec = spec;
        _size = NetworkSize.Of(spec);
        _parameterBytes = (_size.Parameters * BytesPerParameter) + (options.GeneratorEmaDecay is null ? 0 : _size.GeneratorParameters * BytesPerValue);
    }

    /// <summary>
    /// Throws when training <paramref name="spec"/> with <paramref name="options"/> needs more than
    /// <paramref name="availableBytes"/> (the machine's memory when null). The batch is capped at the row count, as
    /// training caps it; rows are counted (without reading any image) only when the uncapped batch does not fit but one
    /// image does.
    /// </summary>
    /// <remarks>
    /// The machine's memory is the GC's TotalAvailableMemoryBytes: physical memory or the container's limit (or a
    /// GCHeapHardLimit, when one is set, although tensors live outside the managed heap).
    /// </remarks>
    /// <exception cref="ArgumentException">The estimate exceeds the memory; the message and ParamName name the option.</exception>
    public static void Require(NetworkSpec spec, GanTrainer.Options options, IDataView input, double? availableBytes = null)
    {
        double available = availableBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var memory = new TrainingMemory(spec, options);
        long batch = options.BatchSize;
        if (memory.Bytes(batch) <= available)
        {
            return;
        }

        // A smaller batch helps only when the networks and one image fit; only then are rows worth counting.
        if (memory.Bytes(1) <= available)
        {
            long rows = input.GetRowCount() ?? CountRows(input);
            batch = Math.Max(1, Math.Min(batch, rows));
        }

        if (memory.Bytes(batch) > available)
        {
            throw memory.TooLarge(options, batch, available);
        }
    }

    /// <summary>Formats a byte count for a message: "310 GB", "2.5 TB".</summary>
    public static string Format(double bytes)
    {
        string[] units = { "bytes", "KB", "MB", "GB", "TB", "PB", "EB" };
        int unit = 0;
        while (bytes >= 1000 && unit < units.Length - 1)
        {
            bytes /= 1000;
            unit++;
        }

        return string.Format(CultureInfo.InvariantCulture, bytes < 10 ? "{0:0.#} {1}" : "{0:0} {1}", bytes, units[unit]);
    }

    private double BatchBytes(long batch) => batch * _size.ActivationsPerImage * BytesPerValue;

    private double Bytes(long batch) => _parameterBytes + BatchBytes(batch);

    private ArgumentException TooLarge(GanTrainer.Options options, long batch, double available)
    {
        string machine = $"this machine has {Format(available)} of memory";
        if (Bytes(1) <= available)
        {
            // The networks and one image fit: the batch is what is too large.
            string capped = batch < options.BatchSize ? FormattableString.Invariant($" (the {batch} rows of the data)") : string.Empty;
            string perImage = $"{Format(_size.ActivationsPerImage * BytesPerValue)} per image through the {_spec.Architecture} generator and discriminator";
            long fits = (long)Math.Floor((available - _parameterBytes) / (_size.ActivationsPerImage * BytesPerValue));
            return new ArgumentException(FormattableString.Invariant(
                $"BatchSize {options.BatchSize} would need about {Format(Bytes(batch))} for one batch{capped} of {_spec.Shape.Height}×{_spec.Shape.Width} images ({perImage}); {machine}. Lower BatchSize (at most about {fits} fits)."),
                nameof(options.BatchSize));
        }

        string needs = FormattableString.Invariant(
            $"would need about {Format(Bytes(1))} for the {_size.Parameters:0.###e+0} weights of the {_spec.Architecture} generator and discriminator with their gradients and Adam state and one image's activations");
        if (options.LatentDimension > GanTrainer.Options.Defaults.LatentDimension && FitsWithDefaultLatent(options, available))
        {
            return new ArgumentException(FormattableString.Invariant(
                $"LatentDimension {options.LatentDimension} {needs}; {machine}. Lower LatentDimension (100 to 512 is usual)."), nameof(options.LatentDimension));
        }

        return new ArgumentException(FormattableString.Invariant(
            $"Images of {_spec.Shape} in column '{options.ImageColumnName}' {needs}; {machine}. Resize the images to fewer pixels (ResizeImages)."), "input");
    }

    private bool FitsWithDefaultLatent(GanTrainer.Options options, double available)
    {
        int latent = GanTrainer.Options.Defaults.LatentDimension;
        // O-GAN's encoder has one output per latent dimension: it shrinks with it.
        int outputs = _spec.DiscriminatorOutputs == _spec.LatentDimension ? latent : _spec.DiscriminatorOutputs;
        return new TrainingMemory(_spec with { LatentDimension = latent, DiscriminatorOutputs = outputs }, options).Bytes(1) <= available;
    }

    private static long CountRows(IDataView input)
    {
        // No active column: image files are not opened, pixels not converted.
        using DataViewRowCursor cursor = input.GetRowCursor(Enumerable.Empty<DataViewSchema.Column>());
        long rows = 0;
        while (cursor.MoveNext())
        {
            rows++;
        }

        return rows;
    }
}
