using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;

namespace Microsoft.ML.Gan;

/// <summary>
/// An O-GAN's encoder as an ML.NET transformer: reads images in the training column's format and adds <c>Latent</c>
/// (<c>Vector&lt;Single, LatentDimension&gt;</c>), the normalised code N(E(x)) in the generator's input space. Use it as
/// a featurizer for any ML.NET trainer; works with <c>PredictionEngine</c> and saves on its own with <c>mlContext.Model.Save</c>.
/// </summary>
public sealed class OGanEncoderTransformer : ITransformer, ICanSaveModel, System.IDisposable
{
    internal const string PayloadKind = "OGanEncoder";

    private readonly OGanModel _model;
    private readonly bool _ownsModel;

    internal OGanEncoderTransformer(OGanModel model, bool ownsModel)
    {
        _model = model;
        _ownsModel = ownsModel;
    }

    /// <summary>The image column it reads: the one the O-GAN was trained on.</summary>
    public string ImageColumnName => _model.Gan.Input.ColumnName;

    /// <summary>The column it adds: the O-GAN's <see cref="OGanTrainer.Options.LatentColumnName"/> (<c>Latent</c> by default).</summary>
    public string LatentColumnName => _model.Gan.LatentColumnName;

    /// <summary>The length of the codes.</summary>
    public int LatentDimension => _model.LatentDimension;

    /// <summary>The width in pixels of the images it reads.</summary>
    public int ImageWidth => _model.Gan.Shape.Width;

    /// <summary>The height in pixels of the images it reads.</summary>
    public int ImageHeight => _model.Gan.Shape.Height;

    /// <summary>Always true: encoding maps each row on its own.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus <c>Latent</c>; throws if the input lacks the training image column or its format differs.</summary>
    /// <param name="inputSchema">A schema with the training image column.</param>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateMapping(inputSchema).OutputSchema;

    /// <summary>Adds <c>Latent</c> to every row, computed lazily.</summary>
    /// <param name="input">Rows with the training image column.</param>
    public IDataView Transform(IDataView input) => new MappedDataView(input, CreateMapping(input.Schema));

    /// <summary>The row-at-a-time mapper <c>PredictionEngine</c> uses.</summary>
    /// <param name="inputSchema">A schema with the training image column.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new RowToRowMapper(CreateMapping(inputSchema));

    // The payload is the whole O-GAN (the generator rides along) so that one reader serves both transformers.
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        MlNetBridge.SaveModel(ctx, PayloadKind, writer => OGanModelSerializer.Write(writer, _model));

    /// <summary>Frees the networks' native memory, unless they belong to the <see cref="OGanTransformer"/> this encoder came from.</summary>
    public void Dispose()
    {
        if (_ownsModel)
        {
            _model.Dispose();
        }
    }

    private EncoderRowMapping CreateMapping(DataViewSchema inputSchema) =>
        new(_model, inputSchema, LatentColumnName, scoreColumnName: null);
}
