using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Data;

/// <summary>
/// A read-only <see cref="IDataView"/> over IDX images (and labels) held once in memory as bytes.
/// Columns: <c>Image</c> = <c>Vector&lt;Single, 1, H, W&gt;</c> with pixel / 255 in [0, 1], and, when labels are
/// given, <c>Label</c> = <c>Key&lt;UInt32, classes&gt;</c> with <c>KeyValues</c> "0", "1", ... (raw label k is key k + 1,
/// ML.NET's convention where key 0 means missing). Cursors convert one row at a time into the caller's buffer.
/// </summary>
internal sealed class IdxDataView : IDataView
{
    public const string ImageColumnName = DefaultColumnNames.Image;
    public const string LabelColumnName = DefaultColumnNames.Label;

    private static readonly float[] ByteToUnit = Enumerable.Range(0, 256).Select(i => i / 255f).ToArray();

    private readonly IdxImages _images;
    private readonly byte[]? _labels;

    /// <param name="images">The images.</param>
    /// <param name="labels">One label per image, or null.</param>
    /// <param name="labelNames">The KeyValues of labels 0, 1, ...; null names them "0", "1", ...</param>
    public IdxDataView(IdxImages images, byte[]? labels, IReadOnlyList<string>? labelNames = null)
    {
        if (labels is not null && labels.Length != images.Count)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"{labels.Length} labels were given for {images.Count} images."), nameof(labels));
        }

        _images = images;
        _labels = labels;
        Schema = BuildSchema(images, labels, labelNames);
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    public long? GetRowCount() => _images.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => new Cursor(this, columnsNeeded, rand);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new[] { GetRowCursor(columnsNeeded, rand) };

    private static DataViewSchema BuildSchema(IdxImages images, byte[]? labels, IReadOnlyList<string>? labelNames)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ImageColumnName, new VectorDataViewType(NumberDataViewType.Single, 1, images.Height, images.Width));
        if (labels is not null)
        {
            int classes = labelNames?.Count ?? (labels.Length == 0 ? 1 : labels.Max() + 1);
            string[] names = labelNames?.ToArray() ?? Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            var annotations = new DataViewSchema.Annotations.Builder();
            KeyValuesAnnotation.Add(annotations, names);
            builder.AddColumn(LabelColumnName, new KeyDataViewType(typeof(uint), classes), annotations.ToAnnotations());
        }

        return builder.ToSchema();
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly IdxDataView _parent;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private long _position = -1;
        private int _row = -1;

        public Cursor(IdxDataView parent, IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand)
        {
            _parent = parent;
            _active = new bool[parent.Schema.Count];
            foreach (DataViewSchema.Column column in columnsNeeded)
            {
                _active[column.Index] = true;
            }

            if (rand is not null)
            {
                _order = Enumerable.Range(0, parent._images.Count).ToArray();
                for (int i = _order.Length - 1; i > 0; i--)
                {
                    int j = rand.Next(i + 1);
                    (_order[i], _order[j]) = (_order[j], _order[i]);
                }
            }
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= _parent._images.Count)
            {
                _row = -1;
                _position = _parent._images.Count;
                return false;
            }

            _position++;
            _row = _order is null ? (int)_position : _order[_position];
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId id) => id = new DataViewRowId((ulong)CurrentRow(), 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < 0 || column.Index >= _active.Length || !_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");
            }

            Delegate getter = column.Name switch
            {
                ImageColumnName => (ValueGetter<VBuffer<float>>)GetImage,
                _ => (ValueGetter<uint>)GetLabel,
            };
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"Column '{column.Name}' has type {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private void GetImage(ref VBuffer<float> destination)
        {
            ReadOnlySpan<byte> pixels = _parent._images.GetImage(CurrentRow());
            var editor = VBufferEditor.Create(ref destination, pixels.Length);
            Span<float> values = editor.Values;
            for (int i = 0; i < pixels.Length; i++)
            {
                values[i] = ByteToUnit[pixels[i]];
            }

            destination = editor.Commit();
        }

        private void GetLabel(ref uint key) => key = _parent._labels![CurrentRow()] + 1u;

        private int CurrentRow() => _row >= 0
            ? _row
            : throw new InvalidOperationException("The cursor is not on a row: call MoveNext first (and only while it returns true).");
    }
}
