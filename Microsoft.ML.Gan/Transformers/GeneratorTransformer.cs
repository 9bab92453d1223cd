using System;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;

namespace Microsoft.ML.Gan;

/// <summary>
/// A trained generator as an ML.NET transformer: reads a <c>Latent</c> column (<c>Vector&lt;Single, LatentDimension&gt;</c>)
/// and, for a conditional GAN, the <see cref="LabelColumnName"/> key column, and adds an <c>Image</c> column
/// (<see cref="MLImage"/>). Works with <c>PredictionEngine</c> and saves on its own with <c>mlContext.Model.Save</c>.
/// The images it returns belong to the caller.
/// </summary>
public sealed class GeneratorTransformer : ITransformer, ICanSaveModel, IDisposable
{
    internal const string PayloadKind = "GanGenerator";

    private readonly GanModel _model;
    private readonly bool _ownsModel;

    internal GeneratorTransformer(GanModel model, bool ownsModel)
    {
        _model = model;
        _ownsModel = ownsModel;
    }

    /// <summary>The input column of latent vectors: <c>Latent</c>.</summary>
    public string LatentColumnName => DefaultColumnNames.Latent;

    /// <summary>
    /// For the generator of a conditional GAN, the input column of class labels (the training label column's name and
    /// key type); null for an unconditional generator.
    /// </summary>
    public string? LabelColumnName => _model.Conditioning?.ColumnName;

    /// <summary>The output column of generated images: <c>Image</c>.</summary>
    public string ImageColumnName => DefaultColumnNames.Image;

    /// <summary>The length of the latent vectors the generator reads.</summary>
    public int LatentDimension => _model.LatentDimension;

    /// <summary>The width in pixels of generated images.</summary>
    public int ImageWidth => _model.Shape.Width;

    /// <summary>The height in pixels of generated images.</summary>
    public int ImageHeight => _model.Shape.Height;

    /// <summary>Always true: the generator maps each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the <c>Image</c> column; throws if the input has no suitable <c>Latent</c> column.</summary>
    /// <param name="inputSchema">A schema with a <c>Latent</c> column of <c>Vector&lt;Single, LatentDimension&gt;</c>.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMapping(inputSchema).OutputSchema;

    /// <summary>Adds generated images, computed lazily as the result is read.</summary>
    /// <param name="input">Rows with a <c>Latent</c> column of <c>Vector&lt;Single, LatentDimension&gt;</c>.</param>
    public IDataView Transform(IDataView input) => new MappedDataView(input, CreateMapping(input.Schema));

    /// <summary>The row-at-a-time mapper <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">A schema with a <c>Latent</c> column of <c>Vector&lt;Single, LatentDimension&gt;</c>.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new RowToRowMapper(CreateMapping(inputSchema));

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        MlNetBridge.SaveModel(ctx, PayloadKind, writer => GanModelSerializer.Write(writer, _model, includeDiscriminator: false));

    /// <summary>Frees the generator's native memory, unless it belongs to the <see cref="GanTransformer"/> it came from.</summary>
    public void Dispose()
    {
        if (_ownsModel)
        {
            _model.Dispose();
        }
    }

    private GeneratorRowMapping CreateMapping(DataViewSchema inputSchema) =>
        new(_model, inputSchema, LatentColumnName, ImageColumnName);
}
