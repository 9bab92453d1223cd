using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// Reads the image column of an <see cref="IDataView"/> as planar float images scaled to [-1, 1], checking every user
/// error (missing column, wrong type, unknown or inconsistent size, empty data, out-of-range values) with a message
/// that names the column, the expected and the actual.
/// </summary>
/// <remarks>
/// Supported columns:
/// <list type="bullet">
/// <item><see cref="MLImage"/> (<see cref="ImageDataViewType"/>, e.g. from LoadImages / ResizeImages): bytes 0..255;
/// <c>grayscale</c> chooses 1 channel (ML.NET's 0.3 R + 0.59 G + 0.11 B) or 3 (R, G, B planes).</item>
/// <item><c>Vector&lt;Single&gt;</c> with dimensions [C, H, W] (C = 1 or 3) or [H, W], planar as ExtractPixels
/// writes it: values in [0, 255] (ExtractPixels' default) or [0, 1] (LoadFromIdxFile). The scale is decided from
/// the training data (largest value ≤ 1 → [0, 1], else ≤ 255 → [0, 255], else an error) and is then fixed:
/// pass it back as <c>inputScale</c> at inference so that new data is scaled exactly like the training data.</item>
/// </list>
/// A reader learns what it does not know yet (the size of images whose schema does not give it, the input scale of
/// float vectors) from the first <see cref="ReadAll"/> and enforces it afterwards.
/// </remarks>
internal sealed class ImageColumnReader
{
    /// <summary>Rows converted per chunk by <see cref="ReadAll"/>.</summary>
    private const int ChunkRows = 1024;

    /// <summary>Tolerance on the range limits, for values computed in floating point (e.g. 254.99997 / 255).</summary>
    private const float RangeTolerance = 1e-3f;

    private const string ExpectedTypes =
        "an image column (MLImage, e.g. from LoadImages) or a Single vector with dimensions [C, H, W] (C = 1 or 3) " +
        "or [H, W] (e.g. from ExtractPixels or LoadFromIdxFile)";

    private readonly bool _isImage;
    private readonly bool _grayscale;
    private ImageShape? _shape;
    private float? _inputScale;

    private ImageColumnReader(string columnName, bool isImage, bool grayscale, ImageShape? shape, float? inputScale)
    {
        ColumnName = columnName;
        _isImage = isImage;
        _grayscale = grayscale;
        _shape = shape;
        _inputScale = inputScale;
    }

    /// <summary>The column this reader reads.</summary>
    public string ColumnName { get; }

    /// <summary>The planar shape of every image.</summary>
    /// <exception cref="InvalidOperationException">The schema does not give the size and no data has been read yet.</exception>
    public ImageShape Shape => _shape ?? throw new InvalidOperationException(
        $"The image size of column '{ColumnName}' is not known yet: its schema does not give it; read the data first (ReadAll) or pass the expected shape.");

    /// <summary>
    /// The range of the input values: 255 for pixels in [0, 255] (always for <see cref="MLImage"/> columns), 1 for values
    /// in [0, 1]. A value v becomes v × 2 / <see cref="InputScale"/> − 1.
    /// </summary>
    /// <exception cref="InvalidOperationException">A float vector column whose scale was neither given nor read yet.</exception>
    public float InputScale => _inputScale ?? throw new InvalidOperationException(
        $"The value range of column '{ColumnName}' is not known yet: read the training data first (ReadAll) or pass the training-time input scale.");

    /// <summary>Checks the column in <paramref name="schema"/> and makes a reader for it.</summary>
    /// <param name="schema">The schema of the data that will be read.</param>
    /// <param name="columnName">The image column.</param>
    /// <param name="grayscale">For <see cref="MLImage"/> columns: read 1 channel (grayscale) instead of 3 (R, G, B). Float vectors take their channel count from their dimensions.</param>
    /// <param name="expectedShape">The shape the images must have (inference: the shape the model was trained on).</param>
    /// <param name="inputScale">For float vector columns: the training-time scale (1 or 255); null to decide it from the data in <see cref="ReadAll"/>. Ignored for <see cref="MLImage"/> columns (always 255).</param>
    /// <exception cref="ArgumentException">The column is missing, of an unsupported type, of an unknown or unexpected shape.</exception>
    public static ImageColumnReader Create(
        DataViewSchema schema,
        string columnName,
        bool grayscale,
        ImageShape? expectedShape = null,
        float? inputScale = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrEmpty(columnName);
        if (inputScale is float scale && scale != 1f && scale != 255f)
        {
            throw new ArgumentOutOfRangeException(nameof(inputScale), scale, "The input scale is 1 (values in [0, 1]) or 255 (values in [0, 255]).");
        }

        if (expectedShape is ImageShape expected)
        {
            CheckShapeArgument(expected, nameof(expectedShape));
        }

        DataViewSchema.Column column = FindColumn(schema, columnName);
        ImageShape? shape;
        bool isImage;
        switch (column.Type)
        {
            case ImageDataViewType imageType:
                isImage = true;
                int channels = grayscale ? 1 : 3;
                if (expectedShape is ImageShape e && e.Channels != channels)
                {
                    throw new ArgumentException(FormattableString.Invariant(
                        $"The expected shape {e} of column '{columnName}' has {e.Channels} channel(s) but grayscale = {grayscale} reads {channels}."), nameof(expectedShape));
                }

                shape = imageType.Height > 0 && imageType.Width > 0
                    ? new ImageShape(channels, imageType.Height, imageType.Width)
                    : null;
                inputScale = 255f;
                break;

            case VectorDataViewType vectorType when vectorType.ItemType == NumberDataViewType.Single:
                isImage = false;
                shape = ShapeFromDimensions(columnName, vectorType);
                break;

            default:
                throw new ArgumentException(
                    $"Column '{columnName}' has type {column.Type}, which is not an image type; expected {ExpectedTypes}.", nameof(columnName));
        }

        if (expectedShape is ImageShape wanted)
        {
            if (shape is ImageShape actual && actual != wanted)
            {
                throw new ArgumentException(
                    $"Column '{columnName}' holds {actual} images but {wanted} images are expected (the shape the model was trained on).", nameof(schema));
            }

            shape = wanted;
        }

        return new ImageColumnReader(columnName, isImage, grayscale, shape, inputScale);
    }

    /// <summary>
    /// Reads the column of every row into one CPU float tensor [N, C, H, W] scaled to [-1, 1]. The caller owns
    /// (disposes) the tensor.
    /// </summary>
    /// <param name="data">The data; its schema must hold the column with the type seen by <see cref="Create"/>.</param>
    /// <param name="checkAlive">Called between chunks of rows; throw from it to stop (e.g. <c>host.CheckAlive</c>).</param>
    /// <exception cref="InvalidOperationException">The data has no rows, images differ in size, or values are out of range.</exception>
    /// <exception cref="InvalidDataException">A row's image could not be loaded (e.g. LoadImages met an empty, truncated or non-image file); the message names the row, its text columns (the file path) and the reason.</exception>
    public Tensor ReadAll(IDataView data, Action? checkAlive = null)
    {
        ArgumentNullException.ThrowIfNull(data);

        // Values are collected as read (0..255 or 0..1 for vectors, [-1, 1] for images), chunk by chunk, into a
        // list of arrays; scaled and copied into the tensor at the end, once the input scale is known.
        var chunks = new List<float[]>();
        float[]? chunk = null;
        (long rows, ImageShape shape) = CopyEveryRow(data, checkAlive, (row, pixelCount) =>
        {
            int inChunk = (int)(row % ChunkRows);
            if (inChunk == 0)
            {
                chunk = new float[ChunkRows * pixelCount];
                chunks.Add(chunk);
            }

            return chunk.AsSpan(inChunk * pixelCount, pixelCount);
        });

        _shape = shape;

        float multiplier = _isImage ? 1f : 2f / InputScale;
        float offset = _isImage ? 0f : -1f;
        var all = new float[checked(rows * shape.PixelCount)];
        long copied = 0;
        foreach (float[] part in chunks)
        {
            int count = (int)Math.Min(part.Length, all.Length - copied);
            Span<float> target = all.AsSpan((int)copied, count);
            ReadOnlySpan<float> source = part.AsSpan(0, count);
            for (int i = 0; i < count; i++)
            {
                target[i] = (source[i] * multiplier) + offset;
            }

            copied += count;
        }

        return torch.tensor(all, shape.AsBatchShape(rows), dtype: ScalarType.Float32);
    }

    /// <summary>
    /// For a Single vector column whose input scale is not known yet: reads every value once, keeping none, and fixes
    /// <see cref="InputScale"/> exactly as <see cref="ReadAll"/> would, checking each row's length and values on the way.
    /// Does nothing for <see cref="MLImage"/> columns (always 255) or when the scale is known. Streamed training calls it
    /// so that every epoch scales the data as an in-memory run would.
    /// </summary>
    /// <param name="data">The data; its schema must hold the column with the type seen by <see cref="Create"/>.</param>
    /// <param name="checkAlive">Called between chunks of rows; throw from it to stop.</param>
    /// <exception cref="InvalidOperationException">The data has no rows, a row has the wrong length, or values are out of range.</exception>
    public void LearnInputScale(IDataView data, Action? checkAlive = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_isImage || _inputScale != null)
        {
            return;
        }

        var values = new float[Shape.PixelCount];
        CopyEveryRow(data, checkAlive, (_, pixelCount) => values.AsSpan(0, pixelCount));
    }

    /// <summary>
    /// The one pass over the column that <see cref="ReadAll"/> and <see cref="LearnInputScale"/> share: copies each row
    /// into the span <paramref name="destination"/> gives for it, checking it on the way, and for a Single vector column
    /// fixes <see cref="InputScale"/> from the range of values seen. Returns the row count and the rows' shape.
    /// </summary>
    private (long Rows, ImageShape Shape) CopyEveryRow(IDataView data, Action? checkAlive, RowDestination destination)
    {
        DataViewSchema.Column column = CheckSameColumn(data.Schema);
        // Text columns (the file paths LoadImages read) ride along so that an unreadable image's error can name its file.
        IEnumerable<DataViewSchema.Column> active = _isImage ? UnreadableImageRow.TextColumns(data.Schema).Append(column) : new[] { column };
        using DataViewRowCursor cursor = data.GetRowCursor(active);
        RowCopier copy = CreateCopier(cursor, column);
        var range = new ValueRange();
        long rows = 0;
        while (cursor.MoveNext())
        {
            if (rows % ChunkRows == 0)
            {
                checkAlive?.Invoke();
            }

            int pixelCount = copy.Prepare(rows);
            Span<float> values = destination(rows, pixelCount);
            copy.Copy(values);
            if (!_isImage)
            {
                range.Observe(MinMax(values, rows), rows);
            }

            rows++;
        }

        if (rows == 0)
        {
            throw NoRows();
        }

        if (!_isImage)
        {
            ResolveInputScale(range);
        }

        return (rows, copy.Shape ?? Shape);
    }

    private delegate Span<float> RowDestination(long row, int pixelCount);

    /// <summary>
    /// Makes a function that copies the current row's image of <paramref name="row"/> into a span of
    /// <see cref="Shape"/>.PixelCount floats, planar and scaled to [-1, 1]. For row-by-row mapping.
    /// </summary>
    /// <exception cref="ArgumentException">The row lacks the column, has it with another type, or does not make it active.</exception>
    /// <exception cref="InvalidOperationException">The shape or input scale is still unknown.</exception>
    /// <remarks>The returned function throws <see cref="InvalidDataException"/> for a row whose image could not be loaded, as <see cref="ReadAll"/> does.</remarks>
    public Action<Span<float>> CreateRowReader(DataViewRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        DataViewSchema.Column column = CheckSameColumn(row.Schema);
        if (!row.IsColumnActive(column))
        {
            throw new ArgumentException($"Column '{ColumnName}' is not active in the row.", nameof(row));
        }

        ImageShape shape = Shape;
        float scale = InputScale;
        RowCopier copy = CreateCopier(row, column);
        float multiplier = 2f / scale;
        return destination =>
        {
            if (destination.Length != shape.PixelCount)
            {
                throw new ArgumentException(FormattableString.Invariant(
                    $"The destination holds {destination.Length} values; a {shape} image needs {shape.PixelCount}."), nameof(destination));
            }

            copy.Prepare(row.Position);
            copy.Copy(destination);
            if (_isImage)
            {
                return;
            }

            for (int i = 0; i < destination.Length; i++)
            {
                float value = destination[i];
                if (!(value >= -RangeTolerance && value <= scale * (1f + RangeTolerance)))
                {
                    throw new InvalidOperationException(FormattableString.Invariant(
                        $"Column '{ColumnName}' holds the value {value} in row {row.Position}, outside the range [0, {scale}] of the data the model was trained on."));
                }

                destination[i] = (value * multiplier) - 1f;
            }
        };
    }

    /// <summary>The error for data without rows, as <see cref="ReadAll"/> and the streamed path report it.</summary>
    public InvalidOperationException NoRows() =>
        new($"The data has no rows: there are no images to read from column '{ColumnName}'.");

    private void ResolveInputScale(ValueRange range)
    {
        (float minimum, long minimumRow, float maximum, long maximumRow) = (range.Minimum, range.MinimumRow, range.Maximum, range.MaximumRow);
        if (minimum < -RangeTolerance)
        {
            throw new InvalidOperationException(FormattableString.Invariant(
                $"Column '{ColumnName}' holds the negative value {minimum} (row {minimumRow}); pixel values must lie in [0, 1] or [0, 255]."));
        }

        if (_inputScale is float known)
        {
            if (maximum > known * (1f + RangeTolerance))
            {
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"Column '{ColumnName}' holds the value {maximum} (row {maximumRow}), outside the range [0, {known}] expected for this column."));
            }

            return;
        }

        if (maximum <= 1f + RangeTolerance)
        {
            _inputScale = 1f;
        }
        else if (maximum <= 255f * (1f + RangeTolerance))
        {
            _inputScale = 255f;
        }
        else
        {
            throw new InvalidOperationException(FormattableString.Invariant(
                $"Column '{ColumnName}' holds values up to {maximum} (row {maximumRow}); pixel values must lie in [0, 1] or [0, 255]."));
        }
    }

    private RowCopier CreateCopier(DataViewRow row, DataViewSchema.Column column) => _isImage
        ? new ImageRowCopier(row.GetGetter<MLImage>(column), UnreadableImageRow.For(row), ColumnName, _grayscale ? 1 : 3, _shape)
        : new VectorRowCopier(row.GetGetter<VBuffer<float>>(column), ColumnName, Shape);

    private DataViewSchema.Column CheckSameColumn(DataViewSchema schema)
    {
        DataViewSchema.Column column = FindColumn(schema, ColumnName);
        bool sameKind = _isImage
            ? column.Type is ImageDataViewType
            : column.Type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single;
        if (!sameKind)
        {
            throw new ArgumentException(
                $"Column '{ColumnName}' has type {column.Type} in this data but was {(_isImage ? "an image column" : "a Single vector column")} when the reader was created; expected {ExpectedTypes}.");
        }

        if (!_isImage && column.Type is VectorDataViewType { Size: > 0 } vector && _shape is ImageShape shape && vector.Size != shape.PixelCount)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"Column '{ColumnName}' holds vectors of {vector.Size} values in this data but {shape} images ({shape.PixelCount} values) are expected."));
        }

        return column;
    }

    private static DataViewSchema.Column FindColumn(DataViewSchema schema, string columnName)
    {
        DataViewSchema.Column? column = schema.GetColumnOrNull(columnName);
        if (column is null)
        {
            IEnumerable<string> available = schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})");
            throw new ArgumentException(
                $"Column '{columnName}' was not found in the data. Available columns: {string.Join(", ", available)}.", nameof(columnName));
        }

        return column.Value;
    }

    private static ImageShape? ShapeFromDimensions(string columnName, VectorDataViewType type)
    {
        ImmutableArray<int> dimensions = type.Dimensions;
        bool allKnown = dimensions.All(d => d > 0);
        if (allKnown && dimensions.Length == 3)
        {
            if (dimensions[0] != 1 && dimensions[0] != 3)
            {
                throw new ArgumentException(
                    $"Column '{columnName}' has type {type}: dimensions [{Join(dimensions)}] are read as planar [C, H, W], and C must be 1 (grayscale) or 3 (R, G, B), not {dimensions[0]}.", nameof(columnName));
            }

            return new ImageShape(dimensions[0], dimensions[1], dimensions[2]);
        }

        if (allKnown && dimensions.Length == 2)
        {
            return new ImageShape(1, dimensions[0], dimensions[1]);
        }

        if (dimensions.Length > 3)
        {
            throw new ArgumentException(
                $"Column '{columnName}' has type {type} with {dimensions.Length} dimensions; expected {ExpectedTypes}.", nameof(columnName));
        }

        throw new ArgumentException(
            $"Column '{columnName}' has type {type}, a vector without image dimensions, so its image shape is unknown; expected {ExpectedTypes}. " +
            "Declare the dimensions, e.g. new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28) in a SchemaDefinition, or produce the column with ExtractPixels.",
            nameof(columnName));
    }

    private static void CheckShapeArgument(ImageShape shape, string parameterName)
    {
        if ((shape.Channels != 1 && shape.Channels != 3) || shape.Height <= 0 || shape.Width <= 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, shape, "An image shape has 1 or 3 channels and a positive height and width.");
        }
    }

    private static string Join(ImmutableArray<int> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private (float Min, float Max) MinMax(ReadOnlySpan<float> values, long rowIndex)
    {
        float min = float.PositiveInfinity;
        float max = float.NegativeInfinity;
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"Row {rowIndex} of column '{ColumnName}' holds the value {value}; pixel values must be finite numbers in [0, 1] or [0, 255]."));
            }

            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        return (min, max);
    }

    /// <summary>The smallest and largest values seen so far, and the first rows that hold them.</summary>
    private sealed class ValueRange
    {
        public float Minimum { get; private set; } = float.PositiveInfinity;

        public float Maximum { get; private set; } = float.NegativeInfinity;

        public long MinimumRow { get; private set; } = -1;

        public long MaximumRow { get; private set; } = -1;

        public void Observe((float Min, float Max) row, long rowIndex)
        {
            if (row.Max > Maximum)
            {
                Maximum = row.Max;
                MaximumRow = rowIndex;
            }

            if (row.Min < Minimum)
            {
                Minimum = row.Min;
                MinimumRow = rowIndex;
            }
        }
    }

    /// <summary>Copies one row: <see cref="Prepare"/> fetches and checks it (returns its value count), <see cref="Copy"/> writes it.</summary>
    private abstract class RowCopier
    {
        /// <summary>The image shape, once known (images whose schema has no size learn it from the first row).</summary>
        public ImageShape? Shape { get; protected set; }

        public abstract int Prepare(long rowIndex);

        public abstract void Copy(Span<float> destination);
    }

    /// <summary>MLImage rows: bytes 0..255 straight to [-1, 1]. The image belongs to the cursor (disposed on MoveNext), so it is used only between Prepare and the next move.</summary>
    private sealed class ImageRowCopier : RowCopier
    {
        private readonly ValueGetter<MLImage> _getter;
        private readonly UnreadableImageRow _unreadable;
        private readonly string _columnName;
        private readonly int _channels;
        private MLImage? _image;

        public ImageRowCopier(ValueGetter<MLImage> getter, UnreadableImageRow unreadable, string columnName, int channels, ImageShape? shape)
        {
            _getter = getter;
            _unreadable = unreadable;
            _columnName = columnName;
            _channels = channels;
            Shape = shape;
        }

        public override int Prepare(long rowIndex)
        {
            try
            {
                _getter(ref _image!);
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // ML.NET's LoadImages throws ArgumentException("Invalid input stream contents") for a file it cannot decode.
                throw _unreadable.Create(rowIndex, _columnName, e);
            }

            if (_image is null)
            {
                throw _unreadable.Create(rowIndex, _columnName, failure: null);
            }

            var actual = new ImageShape(_channels, _image.Height, _image.Width);
            if (Shape is not ImageShape known)
            {
                Shape = actual;
            }
            else if (known != actual)
            {
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"Row {rowIndex} of column '{_columnName}' is a {actual.Height}x{actual.Width} image but the images are {known.Height}x{known.Width} (the size of the first image, or the size the model expects); all images must have the same size (use ResizeImages)."));
            }

            return actual.PixelCount;
        }

        public override void Copy(Span<float> destination) => ImagePixels.ToChw(_image!, _channels, destination);
    }

    /// <summary>Single vector rows: raw values copied as they are (dense or sparse); scaling happens afterwards.</summary>
    private sealed class VectorRowCopier : RowCopier
    {
        private readonly ValueGetter<VBuffer<float>> _getter;
        private readonly string _columnName;
        private readonly ImageShape _shape;
        private VBuffer<float> _buffer;

        public VectorRowCopier(ValueGetter<VBuffer<float>> getter, string columnName, ImageShape shape)
        {
            _getter = getter;
            _columnName = columnName;
            _shape = shape;
            Shape = shape;
        }

        public override int Prepare(long rowIndex)
        {
            _getter(ref _buffer);
            if (_buffer.Length != _shape.PixelCount)
            {
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"Row {rowIndex} of column '{_columnName}' holds {_buffer.Length} values but a {_shape} image has {_shape.PixelCount}."));
            }

            return _shape.PixelCount;
        }

        public override void Copy(Span<float> destination)
        {
            if (_buffer.IsDense)
            {
                _buffer.GetValues().CopyTo(destination);
                return;
            }

            destination.Clear();
            ReadOnlySpan<int> indices = _buffer.GetIndices();
            ReadOnlySpan<float> values = _buffer.GetValues();
            for (int i = 0; i < indices.Length; i++)
            {
                destination[indices[i]] = values[i];
            }
        }
    }
}
