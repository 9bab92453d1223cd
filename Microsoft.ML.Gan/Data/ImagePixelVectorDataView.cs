using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// The images of an image column as rows of an <c>Index</c> column (the image's index, Int64) and a <c>Pixels</c> column
/// (Vector&lt;Byte&gt; of channels × height × width, planar, R, G, B planes in the order of ML.NET's ExtractPixels, or
/// one gray plane), annotated with <c>ImageShape</c> = [channels, height, width]: what the binary IDataView file of
/// <c>gan generate --format idv</c> holds. Each source image is disposed once its pixels are copied; a cursor throws
/// <see cref="OperationCanceledException"/> once the token is cancelled.
/// </summary>
internal sealed class ImagePixelVectorDataView : IDataView
{
    /// <summary>The column of image indices.</summary>
    public const string IndexColumnName = "Index";

    /// <summary>The column of pixel vectors.</summary>
    public const string PixelsColumnName = "Pixels";

    /// <summary>The annotation of <see cref="PixelsColumnName"/> holding [channels, height, width].</summary>
    public const string ShapeAnnotationKind = "ImageShape";

    private const int ProgressEveryRows = 1024;

    private readonly IDataView _source;
    private readonly DataViewSchema.Column _imageColumn;
    private readonly ImageShape _shape;
    private readonly long _firstIndex;
    private readonly CancellationToken _cancellation;
    private readonly Action<long>? _progress;

    /// <param name="source">The data holding the images.</param>
    /// <param name="imageColumnName">The image column; its type gives the height and width.</param>
    /// <param name="channels">1 to keep one gray plane (the red channel, which equals the others in a gray image), 3 for R, G, B.</param>
    /// <param name="firstIndex">The index of row 0.</param>
    /// <param name="cancellation">Makes cursors stop with an <see cref="OperationCanceledException"/>.</param>
    /// <param name="progress">Receives the number of rows read, every 1,024 rows and at the end.</param>
    public ImagePixelVectorDataView(IDataView source, string imageColumnName, int channels, long firstIndex, CancellationToken cancellation = default, Action<long>? progress = null)
    {
        _imageColumn = GanImages.CheckImageColumn(source.Schema, imageColumnName);
        if (_imageColumn.Type is not ImageDataViewType { Height: > 0, Width: > 0 } imageType)
        {
            throw new ArgumentException($"Column '{imageColumnName}' has images of no fixed size; a pixel vector needs one.", nameof(imageColumnName));
        }
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 (grayscale) or 3 (R, G, B) channels.");
        }
        _source = source;
        _shape = new ImageShape(channels, imageType.Height, imageType.Width);
        _firstIndex = firstIndex;
        _cancellation = cancellation;
        _progress = progress;
        var annotations = new DataViewSchema.Annotations.Builder();
        int[] shape = { channels, imageType.Height, imageType.Width };
        annotations.Add(ShapeAnnotationKind, new VectorDataViewType(NumberDataViewType.Int32, 3), (ref VBuffer<int> value) => value = new VBuffer<int>(3, shape.ToArray()));
        var schema = new DataViewSchema.Builder();
        schema.AddColumn(IndexColumnName, NumberDataViewType.Int64);
        schema.AddColumn(PixelsColumnName, new VectorDataViewType(NumberDataViewType.Byte, _shape.PixelCount), annotations.ToAnnotations());
        Schema = schema.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImagePixelVectorDataView _parent;
        private readonly DataViewRowCursor _source;
        private readonly ValueGetter<MLImage> _image;
        private readonly byte[] _pixels;
        private readonly byte[] _bgra;
        private long _position = -1;

        public Cursor(ImagePixelVectorDataView parent)
        {
            _parent = parent;
            _source = parent._source.GetRowCursor(new[] { parent._imageColumn });
            _image = _source.GetGetter<MLImage>(parent._imageColumn);
            _pixels = new byte[parent._shape.PixelCount];
            _bgra = new byte[parent._shape.Height * parent._shape.Width * 4];
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _parent.Schema;

        public override bool MoveNext()
        {
            _parent._cancellation.ThrowIfCancellationRequested();
            if (!_source.MoveNext())
            {
                _parent._progress?.Invoke(_position + 1);
                return false;
            }
            _position++;
            MLImage image = null!;
            _image(ref image);
            if (image is null || image.Width != _parent._shape.Width || image.Height != _parent._shape.Height)
            {
                throw new InvalidOperationException(FormattableString.Invariant(
                    $"Row {_position} of column '{_parent._imageColumn.Name}' has {(image is null ? "no image" : $"a {image.Width}x{image.Height} image")}; the column's images are {_parent._shape.Width}x{_parent._shape.Height}."));
            }
            ImagePixels.CopyToOpaqueBgra32(image, _bgra);
            image.Dispose();
            int plane = _parent._shape.Height * _parent._shape.Width;
            for (int i = 0; i < plane; i++)
            {
                _pixels[i] = _bgra[(i * 4) + 2];
                if (_parent._shape.Channels == 3)
                {
                    _pixels[plane + i] = _bgra[(i * 4) + 1];
                    _pixels[(2 * plane) + i] = _bgra[i * 4];
                }
            }
            if ((_position + 1) % ProgressEveryRows == 0)
            {
                _parent._progress?.Invoke(_position + 1);
            }
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<long>)((ref long value) => value = _parent._firstIndex + _position),
                1 => (ValueGetter<VBuffer<byte>>)GetPixels,
                _ => throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' does not belong to this data view."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private void GetPixels(ref VBuffer<byte> value)
        {
            VBufferEditor<byte> editor = VBufferEditor.Create(ref value, _pixels.Length);
            _pixels.CopyTo(editor.Values);
            value = editor.Commit();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _source.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
