using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Training;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>
/// The result of <c>Generate</c>: latent and image columns (after a label column for a conditional model), named by the
/// caller (<c>Latent</c>, <c>Image</c> and the training label column by default), computed a batch at a time as a cursor
/// reaches them. Row r is image i = startIndex + r, which comes from latent vector i, which depends only on (seed, i)
/// and the truncation; its label is the one asked for, or is drawn from the training label distribution by (seed, i) alone.
/// </summary>
internal sealed class GeneratedImagesDataView : IDataView
{
    // 2^18 floats of images per forward pass (334 images of 28×28): large enough to amortise per-call costs, and small
    // enough that the generator's largest activation (a DCGAN's 64 channels at half the image size: 16 floats per pixel,
    // 17 MB here) stays under glibc's 32 MiB mmap threshold, above which every batch page-faults its tensors in anew
    // (measured: 1,500 images/s at 768 images per batch against 7,400–9,000 at 128–512; docs/performance.md).
    private const int FloatsPerBatch = 1 << 18;

    private readonly GanModel _model;
    private readonly int _count;
    private readonly int _seed;
    private readonly long _startIndex;
    private readonly int? _fixedClass;
    private readonly double? _truncation;
    private readonly int _labelIndex;
    private readonly int _latentIndex;
    private readonly int _imageIndex;

    /// <param name="model">The generator.</param>
    /// <param name="count">Rows.</param>
    /// <param name="seed">Seed of the latents (and drawn labels).</param>
    /// <param name="startIndex">The index of the first image in the sequence the seed defines.</param>
    /// <param name="fixedClass">For a conditional model: the class index of every image, or null to draw them.</param>
    /// <param name="truncation">The latent truncation threshold, or null for the untruncated normal.</param>
    /// <param name="latentColumnName">The name of the latent vector column.</param>
    /// <param name="imageColumnName">The name of the image column.</param>
    /// <param name="labelColumnName">For a conditional model: the name of the label column, or null for the training label column's name; unused otherwise.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count or start index is negative, or the truncation is not a positive number.</exception>
    /// <exception cref="ArgumentException">A column name is null or blank, or two are equal; <c>ParamName</c> names its parameter.</exception>
    public GeneratedImagesDataView(GanModel model, int count, int seed, long startIndex, int? fixedClass, double? truncation,
        string latentColumnName, string imageColumnName, string? labelColumnName = null)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of images to generate must be ≥ 0.");
        }
        if (startIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(startIndex), startIndex, "The index of the first image must be ≥ 0.");
        }
        if (truncation is { } threshold && !(threshold > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(truncation), threshold,
                "The truncation threshold must be > 0: latent values with |z| above it are drawn again (null or +∞ turns truncation off).");
        }
        if (model.Conditioning is LabelConditioning trained)
        {
            labelColumnName ??= trained.ColumnName;
            OutputColumnNames.Check((labelColumnName, nameof(labelColumnName)), (latentColumnName, nameof(latentColumnName)), (imageColumnName, nameof(imageColumnName)));
        }
        else
        {
            OutputColumnNames.Check((latentColumnName, nameof(latentColumnName)), (imageColumnName, nameof(imageColumnName)));
        }
        _truncation = truncation;
        _startIndex = startIndex;
        _model = model;
        _count = count;
        _seed = seed;
        _fixedClass = fixedClass;
        var builder = new DataViewSchema.Builder();
        _labelIndex = -1;
        if (model.Conditioning is LabelConditioning conditioning)
        {
            _labelIndex = 0;
            builder.AddColumn(labelColumnName!, conditioning.Labels.KeyType, conditioning.Labels.Annotations());
        }
        _latentIndex = _labelIndex + 1;
        _imageIndex = _labelIndex + 2;
        builder.AddColumn(latentColumnName, new VectorDataViewType(NumberDataViewType.Single, model.LatentDimension));
        builder.AddColumn(imageColumnName, new ImageDataViewType(model.Shape.Height, model.Shape.Width));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Any(column => column.Index == _imageIndex));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>The class index of row <paramref name="row"/>: the fixed class, or a draw from the training label distribution.</summary>
    private long ClassOf(long row) => _fixedClass ?? _model.Labels!.Draw(LatentSampler.Uniform(_seed, row));

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly GeneratedImagesDataView _parent;
        private readonly bool _imagesNeeded;
        private readonly int _batchSize;
        private readonly float[] _latents;
        private readonly long[] _classes;
        private readonly float[] _images;
        private readonly Delegate? _labelGetter;
        private long _position = -1;
        private long _batchStart = -1;

        public Cursor(GeneratedImagesDataView parent, bool imagesNeeded)
        {
            _parent = parent;
            _imagesNeeded = imagesNeeded;
            int pixels = parent._model.Shape.PixelCount;
            _batchSize = Math.Clamp(FloatsPerBatch / pixels, 1, Math.Max(1, parent._count));
            _latents = new float[_batchSize * parent._model.LatentDimension];
            _classes = new long[parent._labelIndex >= 0 ? _batchSize : 0];
            _images = new float[_batchSize * pixels];
            _labelGetter = parent._model.Labels?.CreateKeyGetter(() => (int)_classes[Offset]);
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _parent.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= _parent._count)
            {
                _position = _parent._count;
                return false;
            }
            _position++;
            if (_batchStart < 0 || _position >= _batchStart + _batchSize)
            {
                StartBatch();
            }
            return true;
        }

        private int RowsInBatch => (int)Math.Min(_batchSize, _parent._count - _batchStart);

        private void StartBatch()
        {
            _batchStart = _position;
            int latent = _parent._model.LatentDimension;
            for (int i = 0; i < RowsInBatch; i++)
            {
                LatentSampler.Fill(_latents.AsSpan(i * latent, latent), _parent._seed, _parent._startIndex + _batchStart + i, _parent._truncation);
                if (_classes.Length > 0)
                {
                    _classes[i] = _parent.ClassOf(_parent._startIndex + _batchStart + i);
                }
            }
            if (_imagesNeeded)
            {
                _parent._model.Generate(_latents, _classes, RowsInBatch, _images);
            }
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index != _parent._imageIndex || _imagesNeeded;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate? getter = column.Index == _parent._latentIndex ? (ValueGetter<VBuffer<float>>)GetLatent
                : column.Index == _parent._imageIndex ? (ValueGetter<MLImage>)GetImage
                : column.Index == _parent._labelIndex ? _labelGetter
                : throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' does not belong to this data view.");
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private int Offset => (int)(_position - _batchStart);

        private void GetLatent(ref VBuffer<float> value)
        {
            int latent = _parent._model.LatentDimension;
            VBufferEditor<float> editor = VBufferEditor.Create(ref value, latent);
            _latents.AsSpan(Offset * latent, latent).CopyTo(editor.Values);
            value = editor.Commit();
        }

        private void GetImage(ref MLImage value)
        {
            if (!_imagesNeeded)
            {
                throw new InvalidOperationException($"Column '{_parent.Schema[_parent._imageIndex].Name}' was not requested when the cursor was created.");
            }
            int pixels = _parent._model.Shape.PixelCount;
            // The caller owns the image: nothing here keeps or disposes it.
            value = ImagePixels.ToImage(_images.AsSpan(Offset * pixels, pixels), _parent._model.Shape);
        }
    }
}
