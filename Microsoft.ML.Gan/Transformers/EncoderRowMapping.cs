using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>
/// Adds O-GAN's code N(E(x)) (a known-size Single vector) and, when asked, the critic's score to rows that hold an
/// image in the training column's format. Both come from one forward pass per row.
/// </summary>
internal sealed class EncoderRowMapping : IRowMapping
{
    private readonly OGanModel _model;
    private readonly ImageColumnReader _reader;
    private readonly bool _addScore;

    public EncoderRowMapping(OGanModel model, DataViewSchema inputSchema, string latentColumnName, string? scoreColumnName)
    {
        _model = model;
        ImageInputFormat input = model.Gan.Input;
        _reader = ImageColumnReader.Create(inputSchema, input.ColumnName, input.ReadsLuminance, input.Shape, input.InputScale);
        _addScore = scoreColumnName != null;
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(latentColumnName, new VectorDataViewType(NumberDataViewType.Single, model.LatentDimension));
        if (scoreColumnName != null)
        {
            builder.AddColumn(scoreColumnName, NumberDataViewType.Single);
        }
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public int AddedColumns => _addScore ? 2 : 1;

    public IEnumerable<DataViewSchema.Column> Dependencies => new[] { InputSchema[_model.Gan.Input.ColumnName] };

    public Delegate[] CreateGetters(DataViewRow input)
    {
        Action<Span<float>> readImage = _reader.CreateRowReader(input);
        var pixels = new float[_model.Gan.Shape.PixelCount];
        var latent = new float[_model.LatentDimension];
        var score = new float[1];
        long cachedPosition = -1;
        void Compute()
        {
            if (cachedPosition != input.Position)
            {
                readImage(pixels);
                _model.Encode(pixels, 1, latent, score);
                cachedPosition = input.Position;
            }
        }

        ValueGetter<VBuffer<float>> latentGetter = (ref VBuffer<float> value) =>
        {
            Compute();
            VBufferEditor<float> editor = VBufferEditor.Create(ref value, latent.Length);
            latent.CopyTo(editor.Values);
            value = editor.Commit();
        };
        if (!_addScore)
        {
            return new Delegate[] { latentGetter };
        }
        ValueGetter<float> scoreGetter = (ref float value) =>
        {
            Compute();
            value = score[0];
        };
        return new Delegate[] { latentGetter, scoreGetter };
    }
}
