using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Gan.Transformers;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace Microsoft.ML.Gan.Tests.Persistence;

/// <summary>
/// A tiny transformer saved through <see cref="MlNetBridge"/>: adds a float column = input × weight.
/// With <see cref="StoreInTorchModule"/>, the weight is saved as a TorchSharp module (save/load close their stream).
/// </summary>
internal sealed class ScaleTransformer : ITransformer, ICanSaveModel, IDisposable
{
    public const string Kind = "Test.Scale";
    public const string TorchKind = "Test.TorchScale";
    // Never registered: models saved with it exercise the unknown-kind error.
    public const string UnregisteredKind = "Test.NeverRegistered";

    private readonly string _kind;

    public ScaleTransformer(string inputColumnName, string outputColumnName, float weight, string kind = Kind)
    {
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        Weight = weight;
        _kind = kind;
    }

    public string InputColumnName { get; }
    public string OutputColumnName { get; }
    public float Weight { get; }
    public bool StoreInTorchModule => _kind == TorchKind;
    public bool IsDisposed { get; private set; }
    public bool IsRowToRowMapper => true;

    /// <summary>Registers this transformer's payload kinds (not <see cref="UnregisteredKind"/>).</summary>
    public static void RegisterPayloadKinds()
    {
        MlNetBridge.RegisterPayloadReader(Kind, Read);
        MlNetBridge.RegisterPayloadReader(TorchKind, Read);
    }

    public void Save(ModelSaveContext ctx) => MlNetBridge.SaveModel(ctx, _kind, writer =>
    {
        writer.Write(1); // this kind's payload version
        writer.Write(InputColumnName);
        writer.Write(OutputColumnName);
        writer.Write(StoreInTorchModule);
        if (!StoreInTorchModule)
        {
            writer.Write(Weight);
            return;
        }
        using var module = torch.nn.Linear(1, 1, hasBias: false);
        using (torch.no_grad())
            module.weight!.fill_(Weight);
        module.save(writer); // closes the stream under the writer
    });

    private static ITransformer Read(IHostEnvironment env, BinaryReader reader)
    {
        int version = reader.ReadInt32();
        if (version != 1)
            throw new InvalidDataException($"Unknown scale payload version {version}.");
        string input = reader.ReadString();
        string output = reader.ReadString();
        bool torchModule = reader.ReadBoolean();
        if (!torchModule)
            return new ScaleTransformer(input, output, reader.ReadSingle(), Kind);
        using var module = torch.nn.Linear(1, 1, hasBias: false);
        module.load(reader, strict: false); // non-strict load seeks
        return new ScaleTransformer(input, output, module.weight!.item<float>(), TorchKind);
    }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => new ScaleMapping(this, inputSchema).OutputSchema;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new RowToRowMapper(new ScaleMapping(this, inputSchema));

    public IDataView Transform(IDataView input) => new MappedDataView(input, new ScaleMapping(this, input.Schema));

    public void Dispose() => IsDisposed = true;

    /// <summary>The added column, on the library's own row-mapping plumbing.</summary>
    private sealed class ScaleMapping : IRowMapping
    {
        private readonly float _weight;
        private readonly DataViewSchema.Column _input;

        public ScaleMapping(ScaleTransformer parent, DataViewSchema inputSchema)
        {
            DataViewSchema.Column? column = inputSchema.GetColumnOrNull(parent.InputColumnName);
            if (column is null)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{parent.InputColumnName}' not found.");
            if (column.Value.Type != NumberDataViewType.Single)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{parent.InputColumnName}' must be Single, not {column.Value.Type}.");
            _weight = parent.Weight;
            _input = column.Value;
            InputSchema = inputSchema;
            var builder = new DataViewSchema.Builder();
            builder.AddColumns(inputSchema);
            builder.AddColumn(parent.OutputColumnName, NumberDataViewType.Single);
            OutputSchema = builder.ToSchema();
        }

        public DataViewSchema InputSchema { get; }
        public DataViewSchema OutputSchema { get; }
        public int AddedColumns => 1;
        public IEnumerable<DataViewSchema.Column> Dependencies => new[] { _input };

        public Delegate[] CreateGetters(DataViewRow input)
        {
            ValueGetter<float> source = input.GetGetter<float>(_input);
            ValueGetter<float> getter = (ref float value) =>
            {
                float x = 0;
                source(ref x);
                value = x * _weight;
            };
            return new Delegate[] { getter };
        }
    }
}
