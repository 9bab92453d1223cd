using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>Adds the discriminator's realness score to rows that hold an image in the training column's format.</summary>
internal sealed class ScoreRowMapping : IRowMapping
{
    private readonly GanModel _model;
    private readonly ImageColumnReader _reader;

    public ScoreRowMapping(GanModel model, DataViewSchema inputSchema, string scoreColumnName)
    {
        _model = model;
        ImageInputFormat input = model.Input;
        _reader = ImageColumnReader.Create(inputSchema, input.ColumnName, input.Grayscale, input.Shape, input.InputScale);
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(scoreColumnName, NumberDataViewType.Single);
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public int AddedColumns => 1;

    public IEnumerable<DataViewSchema.Column> Dependencies => new[] { InputSchema[_model.Input.ColumnName] };

    public Delegate[] CreateGetters(DataViewRow input)
    {
        Action<Span<float>> readImage = _reader.CreateRowReader(input);
        var pixels = new float[_model.Shape.PixelCount];
        var score = new float[1];
        long cachedPosition = -1;
        ValueGetter<float> getter = (ref float value) =>
        {
            if (cachedPosition != input.Position)
            {
                readImage(pixels);
                _model.Score(pixels, 1, score);
                cachedPosition = input.Position;
            }
            value = score[0];
        };
        return new Delegate[] { getter };
    }
}
