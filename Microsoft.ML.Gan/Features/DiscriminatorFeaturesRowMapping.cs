using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;
using Microsoft.ML.Gan.Transformers;

namespace Microsoft.ML.Gan.Features;

/// <summary>Adds the (standardised) discriminator features, a known-size Single vector, to rows holding an image in the model's format.</summary>
internal sealed class DiscriminatorFeaturesRowMapping : IRowMapping
{
    private readonly DiscriminatorFeatureNetwork _network;
    private readonly FeatureStandardization? _standardization;
    private readonly ImageColumnReader _reader;

    public DiscriminatorFeaturesRowMapping(DiscriminatorFeatureNetwork network, FeatureStandardization? standardization, DataViewSchema inputSchema, string outputColumnName)
    {
        _network = network;
        _standardization = standardization;
        _reader = CreateReader(network, inputSchema);
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(outputColumnName, new VectorDataViewType(NumberDataViewType.Single, network.FeatureCount));
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public DiscriminatorFeatureNetwork Network => _network;

    public FeatureStandardization? Standardization => _standardization;

    /// <summary>The reader of the image column of <see cref="InputSchema"/>.</summary>
    public ImageColumnReader Reader => _reader;

    public DataViewSchema OutputSchema { get; }

    public int AddedColumns => 1;

    public IEnumerable<DataViewSchema.Column> Dependencies => new[] { InputSchema[_network.Input.ColumnName] };

    /// <summary>A reader of the featurizer's image column in <paramref name="schema"/>; throws, naming the column and the shape, when it does not fit.</summary>
    public static ImageColumnReader CreateReader(DiscriminatorFeatureNetwork network, DataViewSchema schema)
    {
        ImageInputFormat input = network.Input;
        return ImageColumnReader.Create(schema, input.ColumnName, input.ReadsLuminance, input.Shape, input.InputScale);
    }

    public Delegate[] CreateGetters(DataViewRow input)
    {
        Action<Span<float>> readImage = _reader.CreateRowReader(input);
        var pixels = new float[_network.Shape.PixelCount];
        var features = new float[_network.FeatureCount];
        long cachedPosition = -1;
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
        {
            if (cachedPosition != input.Position)
            {
                readImage(pixels);
                _network.Extract(pixels, 1, features);
                _standardization?.Apply(features, 1);
                cachedPosition = input.Position;
            }
            VBufferEditor<float> editor = VBufferEditor.Create(ref value, features.Length);
            features.CopyTo(editor.Values);
            value = editor.Commit();
        };
        return new Delegate[] { getter };
    }
}
