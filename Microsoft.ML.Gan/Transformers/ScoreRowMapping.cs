using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>
/// Adds the discriminator's realness score to rows that hold an image in the training column's format (and, for a
/// conditional model, a label: the score then says how real the image looks as an image of that class).
/// </summary>
internal sealed class ScoreRowMapping : IRowMapping
{
    private readonly GanModel _model;
    private readonly ImageColumnReader _reader;
    private readonly DataViewSchema.Column? _labelColumn;

    public ScoreRowMapping(GanModel model, DataViewSchema inputSchema, string scoreColumnName)
    {
        _model = model;
        ImageInputFormat input = model.Input;
        _reader = ImageColumnReader.Create(inputSchema, input.ColumnName, input.ReadsLuminance, input.Shape, input.InputScale);
        if (model.Conditioning is LabelConditioning conditioning)
        {
            _labelColumn = LabelColumnReader.FindModelLabelColumn(inputSchema, conditioning.ColumnName, conditioning.Labels.KeyType);
        }
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(scoreColumnName, NumberDataViewType.Single);
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public int AddedColumns => 1;

    public IEnumerable<DataViewSchema.Column> Dependencies => _labelColumn is DataViewSchema.Column label
        ? new[] { InputSchema[_model.Input.ColumnName], label }
        : new[] { InputSchema[_model.Input.ColumnName] };

    public Delegate[] CreateGetters(DataViewRow input)
    {
        Action<Span<float>> readImage = _reader.CreateRowReader(input);
        Func<long>? readLabel = _labelColumn is DataViewSchema.Column label
            ? LabelColumnReader.CreateRowReader(input, label, _model.Labels!.KeyType)
            : null;
        var classes = new long[readLabel is null ? 0 : 1];
        var pixels = new float[_model.Shape.PixelCount];
        var score = new float[1];
        long cachedPosition = -1;
        ValueGetter<float> getter = (ref float value) =>
        {
            if (cachedPosition != input.Position)
            {
                readImage(pixels);
                if (readLabel is not null)
                {
                    classes[0] = readLabel();
                }
                _model.Score(pixels, classes, 1, score);
                cachedPosition = input.Position;
            }
            value = score[0];
        };
        return new Delegate[] { getter };
    }
}
