using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Data;

namespace Microsoft.ML.Gan.Transformers;

/// <summary>Adds an image classifier's <c>PredictedLabel</c> (key) and <c>Score</c> (probabilities) to rows holding an image.</summary>
internal sealed class ClassifierRowMapping : IRowMapping
{
    private readonly ImageClassifierTransformer _classifier;
    private readonly ImageColumnReader _reader;

    public ClassifierRowMapping(ImageClassifierTransformer classifier, DataViewSchema inputSchema)
    {
        _classifier = classifier;
        ImageInputFormat input = classifier.Input;
        _reader = ImageColumnReader.Create(inputSchema, input.ColumnName, input.ReadsLuminance, input.Shape, input.InputScale);
        InputSchema = inputSchema;
        int classes = classifier.ClassCount;
        var keyValues = new DataViewSchema.Annotations.Builder();
        KeyValuesAnnotation.Add(keyValues, classifier.ClassNames);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(ImageClassifierTransformer.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), classes), keyValues.ToAnnotations());
        builder.AddColumn(ImageClassifierTransformer.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, classes));
        OutputSchema = builder.ToSchema();
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public int AddedColumns => 2;

    public IEnumerable<DataViewSchema.Column> Dependencies => new[] { InputSchema[_classifier.Input.ColumnName] };

    public Delegate[] CreateGetters(DataViewRow input)
    {
        Action<Span<float>> readImage = _reader.CreateRowReader(input);
        var pixels = new float[_classifier.Input.Shape.PixelCount];
        var probabilities = new float[_classifier.ClassCount];
        long cachedPosition = -1;
        void Compute()
        {
            if (cachedPosition != input.Position)
            {
                readImage(pixels);
                _classifier.Predict(pixels, 1, probabilities);
                cachedPosition = input.Position;
            }
        }

        ValueGetter<uint> predicted = (ref uint key) =>
        {
            Compute();
            int best = 0;
            for (int c = 1; c < probabilities.Length; c++)
            {
                best = probabilities[c] > probabilities[best] ? c : best;
            }

            key = (uint)best + 1;
        };
        ValueGetter<VBuffer<float>> score = (ref VBuffer<float> value) =>
        {
            Compute();
            var editor = VBufferEditor.Create(ref value, probabilities.Length);
            probabilities.CopyTo(editor.Values);
            value = editor.Commit();
        };
        return new Delegate[] { predicted, score };
    }
}
