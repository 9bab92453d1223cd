using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>Adds O-GAN's reconstruction G(N(E(x))), an image, to rows that hold an image in the training column's format.</summary>
internal sealed class ReconstructionRowMapping : IRowMapping
{
    private readonly OGanModel _model;
    private readonly ImageColumnReader _reader;

    public ReconstructionRowMapping(OGanModel model, DataViewSchema inputSchema, string outputColumnName)
    {
        _model = model;
        ImageInputFormat input = model.Gan.Input;
        _reader = ImageColumnReader.Create(inputSchema, input.ColumnName, input.ReadsLuminance, input.Shape, input.InputScale);
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(outputColumnName, new ImageDataViewType(model.Gan.Shape.Height, model.Gan.Shape.Width));
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public int AddedColumns => 1;

    public IEnumerable<DataViewSchema.Column> Dependencies => new[] { InputSchema[_model.Gan.Input.ColumnName] };

    public Delegate[] CreateGetters(DataViewRow input)
    {
        Action<Span<float>> readImage = _reader.CreateRowReader(input);
        var pixels = new float[_model.Gan.Shape.PixelCount];
        var reconstruction = new float[pixels.Length];
        ValueGetter<MLImage> getter = (ref MLImage image) =>
        {
            readImage(pixels);
            _model.Reconstruct(pixels, 1, reconstruction);
            // The caller owns the image: nothing here keeps or disposes it.
            image = ImagePixels.ToImage(reconstruction, _model.Gan.Shape);
        };
        return new Delegate[] { getter };
    }
}
