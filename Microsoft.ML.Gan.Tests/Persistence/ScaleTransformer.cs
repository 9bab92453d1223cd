using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Gan.Persistence;
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

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        DataViewSchema.Column? column = inputSchema.GetColumnOrNull(InputColumnName);
        if (column is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{InputColumnName}' not found.");
        if (column.Value.Type != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{InputColumnName}' must be Single, not {column.Value.Type}.");
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(OutputColumnName, NumberDataViewType.Single);
        return builder.ToSchema();
    }

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    public IDataView Transform(IDataView input) => new ScaledDataView(new Mapper(this, input.Schema), input);

    public void Dispose() => IsDisposed = true;

    private sealed class Mapper : IRowToRowMapper
    {
        private readonly ScaleTransformer _parent;
        private readonly int _inputIndex;

        public Mapper(ScaleTransformer parent, DataViewSchema inputSchema)
        {
            _parent = parent;
            InputSchema = inputSchema;
            OutputSchema = parent.GetOutputSchema(inputSchema);
            _inputIndex = inputSchema[parent.InputColumnName].Index;
        }

        public DataViewSchema InputSchema { get; }
        public DataViewSchema OutputSchema { get; }
        private int AddedIndex => InputSchema.Count;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        {
            var needed = new HashSet<int>();
            foreach (DataViewSchema.Column column in dependingColumns)
                needed.Add(column.Index == AddedIndex ? _inputIndex : column.Index);
            return needed.OrderBy(i => i).Select(i => InputSchema[i]).ToArray();
        }

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
            new ScaledRow(this, input, activeColumns.Any(c => c.Index == AddedIndex));

        public Delegate GetGetter<TValue>(DataViewRow input, DataViewSchema.Column column)
        {
            if (column.Index < AddedIndex)
                return input.GetGetter<TValue>(InputSchema[column.Index]);
            if (typeof(TValue) != typeof(float))
                throw new InvalidOperationException($"Column '{column.Name}' is Single, not {typeof(TValue).Name}.");
            ValueGetter<float> source = input.GetGetter<float>(InputSchema[_inputIndex]);
            float weight = _parent.Weight;
            ValueGetter<float> getter = (ref float value) =>
            {
                float x = 0;
                source(ref x);
                value = x * weight;
            };
            return getter;
        }

        public bool IsActive(DataViewRow input, DataViewSchema.Column column, bool addedActive) =>
            column.Index < AddedIndex ? input.IsColumnActive(InputSchema[column.Index]) : addedActive;
    }

    private sealed class ScaledRow : DataViewRow
    {
        private readonly Mapper _mapper;
        private readonly DataViewRow _input;
        private readonly bool _addedActive;

        public ScaledRow(Mapper mapper, DataViewRow input, bool addedActive)
        {
            _mapper = mapper;
            _input = input;
            _addedActive = addedActive;
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _mapper.IsActive(_input, column, _addedActive);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            (ValueGetter<TValue>)_mapper.GetGetter<TValue>(_input, column);
    }

    private sealed class ScaledCursor : DataViewRowCursor
    {
        private readonly Mapper _mapper;
        private readonly DataViewRowCursor _input;
        private readonly bool _addedActive;

        public ScaledCursor(Mapper mapper, DataViewRowCursor input, bool addedActive)
        {
            _mapper = mapper;
            _input = input;
            _addedActive = addedActive;
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override bool MoveNext() => _input.MoveNext();
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _mapper.IsActive(_input, column, _addedActive);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            (ValueGetter<TValue>)_mapper.GetGetter<TValue>(_input, column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _input.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class ScaledDataView : IDataView
    {
        private readonly Mapper _mapper;
        private readonly IDataView _source;

        public ScaledDataView(Mapper mapper, IDataView source)
        {
            _mapper = mapper;
            _source = source;
        }

        public bool CanShuffle => _source.CanShuffle;
        public DataViewSchema Schema => _mapper.OutputSchema;
        public long? GetRowCount() => _source.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            DataViewSchema.Column[] needed = columnsNeeded.ToArray();
            DataViewRowCursor input = _source.GetRowCursor(_mapper.GetDependencies(needed), rand);
            return new ScaledCursor(_mapper, input, needed.Any(c => c.Index == _mapper.InputSchema.Count));
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            new[] { GetRowCursor(columnsNeeded, rand) };
    }
}
