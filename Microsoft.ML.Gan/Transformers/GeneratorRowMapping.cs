using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>Adds a generated image to rows that hold a latent vector (and, for a conditional model, a class label).</summary>
internal sealed class GeneratorRowMapping : IRowMapping
{
    private readonly GanModel _model;
    private readonly DataViewSchema.Column _latentColumn;
    private readonly DataViewSchema.Column? _labelColumn;

    public GeneratorRowMapping(GanModel model, DataViewSchema inputSchema, string latentColumnName, string imageColumnName)
    {
        _model = model;
        _latentColumn = FindLatentColumn(inputSchema, latentColumnName, model.LatentDimension);
        if (model.Conditioning is LabelConditioning conditioning)
        {
            _labelColumn = LabelColumnReader.FindModelLabelColumn(inputSchema, conditioning.ColumnName, conditioning.Labels.KeyType);
        }
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(imageColumnName, new ImageDataViewType(model.Shape.Height, model.Shape.Width));
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public int AddedColumns => 1;

    public IEnumerable<DataViewSchema.Column> Dependencies =>
        _labelColumn is DataViewSchema.Column label ? new[] { label, _latentColumn } : new[] { _latentColumn };

    public Delegate[] CreateGetters(DataViewRow input)
    {
        ValueGetter<VBuffer<float>> readLatent = input.GetGetter<VBuffer<float>>(_latentColumn);
        Func<long>? readLabel = _labelColumn is DataViewSchema.Column label
            ? LabelColumnReader.CreateRowReader(input, label, _model.Labels!.KeyType)
            : null;
        VBuffer<float> latent = default;
        var dense = new float[_model.LatentDimension];
        var classes = new long[readLabel is null ? 0 : 1];
        var pixels = new float[_model.Shape.PixelCount];
        ValueGetter<MLImage> getter = (ref MLImage image) =>
        {
            readLatent(ref latent);
            if (latent.Length != dense.Length)
            {
                throw new InvalidOperationException(
                    $"Column '{_latentColumn.Name}' holds a vector of {latent.Length} values in row {input.Position}; the generator takes {dense.Length}.");
            }
            latent.CopyTo(dense);
            if (readLabel is not null)
            {
                classes[0] = readLabel();
            }
            _model.Generate(dense, classes, 1, pixels);
            // The caller owns the image: nothing here keeps or disposes it.
            image = ImagePixels.ToImage(pixels, _model.Shape);
        };
        return new Delegate[] { getter };
    }

    /// <summary>Checks that <paramref name="name"/> is a float vector column the generator can read.</summary>
    public static DataViewSchema.Column FindLatentColumn(DataViewSchema schema, string name, int latentDimension)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(name),
                $"The input has no column '{name}' holding latent vectors. Columns present: {string.Join(", ", ColumnNames(schema))}.");
        bool isFloatVector = column.Type is VectorDataViewType vector && vector.ItemType == NumberDataViewType.Single;
        int size = (column.Type as VectorDataViewType)?.Size ?? 0;
        if (!isFloatVector || (size != 0 && size != latentDimension))
        {
            throw new ArgumentOutOfRangeException(nameof(name),
                $"Column '{name}' must be a vector of {latentDimension} Single values (Vector<Single, {latentDimension}>); it is {column.Type}.");
        }
        return column;
    }

    private static IEnumerable<string> ColumnNames(DataViewSchema schema)
    {
        foreach (DataViewSchema.Column column in schema)
        {
            if (!column.IsHidden)
            {
                yield return $"{column.Name} ({column.Type})";
            }
        }
    }
}
