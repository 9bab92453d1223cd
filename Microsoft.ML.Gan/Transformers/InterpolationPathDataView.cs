using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>
/// The latent vectors of an interpolation, one row per step: the mixing weight α and (1 − α)·z1 + α·z2 for
/// α = 0, 1/(steps − 1), …, 1. The generator's row mapping adds the images.
/// </summary>
internal sealed class InterpolationPathDataView : IDataView
{
    private readonly float[] _alphas;
    private readonly float[] _latents;
    private readonly int _latentDimension;

    /// <param name="from">z1, the code of the first image.</param>
    /// <param name="to">z2, the code of the last image, of the same length.</param>
    /// <param name="steps">Rows, endpoints included (at least 2).</param>
    /// <param name="alphaColumnName">The name of the α column.</param>
    /// <param name="latentColumnName">The name of the latent vector column.</param>
    public InterpolationPathDataView(ReadOnlySpan<float> from, ReadOnlySpan<float> to, int steps, string alphaColumnName, string latentColumnName)
    {
        _latentDimension = from.Length;
        _alphas = new float[steps];
        _latents = new float[steps * _latentDimension];
        for (int i = 0; i < steps; i++)
        {
            float alpha = i / (float)(steps - 1);
            _alphas[i] = alpha;
            for (int j = 0; j < _latentDimension; j++)
            {
                _latents[i * _latentDimension + j] = (1 - alpha) * from[j] + alpha * to[j];
            }
        }
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(alphaColumnName, NumberDataViewType.Single);
        builder.AddColumn(latentColumnName, new VectorDataViewType(NumberDataViewType.Single, _latentDimension));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _alphas.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(column => column.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private const int AlphaIndex = 0;
        private const int LatentIndex = 1;

        private readonly InterpolationPathDataView _parent;
        private readonly HashSet<int> _active;
        private long _position = -1;

        public Cursor(InterpolationPathDataView parent, HashSet<int> active)
        {
            _parent = parent;
            _active = active;
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _parent.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 >= _parent._alphas.Length)
            {
                _position = _parent._alphas.Length;
                return false;
            }
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index switch
            {
                AlphaIndex => (ValueGetter<float>)((ref float value) => value = _parent._alphas[_position]),
                LatentIndex => (ValueGetter<VBuffer<float>>)GetLatent,
                _ => throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' does not belong to this data view."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        private void GetLatent(ref VBuffer<float> value)
        {
            int latent = _parent._latentDimension;
            VBufferEditor<float> editor = VBufferEditor.Create(ref value, latent);
            _parent._latents.AsSpan((int)_position * latent, latent).CopyTo(editor.Values);
            value = editor.Commit();
        }
    }
}
