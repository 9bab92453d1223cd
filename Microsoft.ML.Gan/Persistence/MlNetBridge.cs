using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// The ONE place that touches ML.NET internals (Microsoft.ML 5.0.x and 6.0.x): model save/load through
/// <c>mlContext.Model.Save/Load</c>, and the <see cref="SchemaShape"/> pieces that are internal.
/// </summary>
/// <remarks>
/// Every internal type and member is named in <see cref="Internals"/>, looked up once on first use, and reported
/// with a <see cref="MissingMemberException"/> naming it when an ML.NET version no longer has it.
/// Why by reflection: ML.NET offers no public way to save and load a transformer from another assembly (dotnet/machinelearning#4911).
///
/// <para><b>What a saved transformer looks like.</b> Each transformer saved by this library is one directory of
/// ML.NET's model zip (for example <c>TransformerChain/Transform_001/</c>) holding</para>
/// <list type="bullet">
/// <item><c>Model.key</c>: ML.NET's header only, with <see cref="ModelSignature"/>, the ML.NET-level version
/// <see cref="MlNetHeaderVersion"/>, <see cref="LoaderSignature"/> and the library's assembly name
/// (<see cref="LoaderAssemblyName"/>); the model section is empty.</item>
/// <item><see cref="PayloadEntryName"/>: the library's own stream, layout below.</item>
/// </list>
/// <para>Payload stream, format version 2 (all little-endian, strings as <see cref="BinaryWriter.Write(string)"/>
/// writes them, UTF-8 with a 7-bit encoded length):</para>
/// <code>
/// int32  format version written   (FormatVersion of the writer)
/// int32  format version readable  (oldest reader format that can read it)
/// string kind                     (which registered payload reader rebuilds the transformer)
/// int64  payload length in bytes
/// byte[] payload                  (written by the kind's writer; its own layout, versioned by that kind)
/// byte[32] SHA-256 of every byte of the entry before it
/// </code>
/// <para>Format version history (keep every entry; readers must keep reading older formats):</para>
/// <list type="bullet">
/// <item>1: first version: the layout above without the SHA-256.</item>
/// <item>2: the SHA-256 at the end, verified before anything else is read; any written version other than 1 must
/// carry it, so a damaged version field is reported as damage. Readers of format 1 ignore the bytes after the
/// payload, so the readable version stays 1.</item>
/// </list>
/// <para>ML.NET 5 does not check the zip's own CRC-32s: the loader checks ML.NET's entries against them
/// (<see cref="ZipIntegrity"/>) and each payload entry against its SHA-256, so a damaged file is an error instead of a model
/// that silently computes something else.</para>
/// The ML.NET-level header version stays at <see cref="MlNetHeaderVersion"/>: format changes are versioned in the
/// payload stream, so this library (not ML.NET) reports them in its own words.
/// </remarks>
internal static class MlNetBridge
{
    /// <summary>The Microsoft.ML versions whose internals this bridge is tested against (the package's dependency range).</summary>
    public const string SupportedMlNetVersions = "Microsoft.ML 5.0.x and 6.0.x";

    /// <summary>The loader signature of every model this library saves (ML.NET allows at most 24 characters).</summary>
    /// <remarks>ML.NET does not show it when no loader is registered; see <see cref="UnregisteredLoadersMessage"/>.</remarks>
    internal const string LoaderSignature = "MicrosoftMLGanModel";

    /// <summary>ML.NET's 8-character model signature for this library's models.</summary>
    internal const string ModelSignature = "GANMODEL";

    /// <summary>The ML.NET-level version in <c>Model.key</c>; fixed, see the remarks on the class.</summary>
    internal const uint MlNetHeaderVersion = 0x00010001;

    /// <summary>The payload format this library writes.</summary>
    internal const int FormatVersion = 2;

    /// <summary>The oldest payload format this library still reads.</summary>
    internal const int OldestReadableFormatVersion = 1;

    /// <summary>The zip entry, beside <c>Model.key</c>, holding the library's payload stream.</summary>
    internal const string PayloadEntryName = "GanPayload.bin";

    /// <summary>The length of the SHA-256 that ends the payload stream from format 2 on.</summary>
    internal const int ChecksumLength = SHA256.HashSizeInBytes;

    // The one format written without a checksum.
    private const int UncheckedFormatVersion = 1;

    /// <summary>
    /// The instruction ML.NET shows when a model of this library is loaded on an MLContext where
    /// <see cref="RegisterLoaders"/> has not run (see UnregisteredLoadersSentinel.cs).
    /// </summary>
    internal const string UnregisteredLoadersMessage =
        "Microsoft.ML.Gan model loaders are not registered with this MLContext: call mlContext.Gan() before mlContext.Model.Load";

    /// <summary>The library's assembly name written in each model header; ML.NET loads it before loading the model.</summary>
    internal static string LoaderAssemblyName => LibraryAssembly.GetName().Name!;

    private static Assembly LibraryAssembly => typeof(MlNetBridge).Assembly;

    // Key under which exceptions raised by this library's loader are tagged in Exception.Data.
    private const string OwnExceptionKey = "Microsoft.ML.Gan.Persistence";

    private static readonly ConcurrentDictionary<string, Func<IHostEnvironment, BinaryReader, ITransformer>> s_payloadReaders =
        new(StringComparer.Ordinal);

    // Archives whose entries were checked against their CRC-32s: a chain holding several of the library's transformers is read once.
    private static readonly ConditionalWeakTable<ZipArchive, object> s_verifiedArchives = new();

    private static readonly object s_registrationLock = new();
    private static readonly ConditionalWeakTable<ComponentCatalog, object> s_registeredCatalogs = new();

    /// <summary>
    /// Registers the library's model loader with <paramref name="environment"/>'s <see cref="ComponentCatalog"/>,
    /// so <c>mlContext.Model.Load</c> can load the library's transformers. Idempotent and thread-safe, per catalog.
    /// </summary>
    public static void RegisterLoaders(IHostEnvironment environment)
    {
        if (environment is null)
            throw new ArgumentNullException(nameof(environment));
        ComponentCatalog catalog = environment.ComponentCatalog;
        lock (s_registrationLock)
        {
            if (s_registeredCatalogs.TryGetValue(catalog, out _))
                return;

            Attribute loadableClass = Internals.CreateLoadableClassAttribute();

            // Registering under the library's own FullName also makes ML.NET skip the library's real assembly when
            // a model header names it, so the sentinel that explains a missing registration stays silent.
            var registration = new LoaderRegistrationAssembly(LibraryAssembly, LibraryAssembly.FullName!, loadableClass);
            catalog.RegisterAssembly(registration);
            if (!registration.WasRegistered)
            {
                // The catalog already knew the library's FullName: an earlier Model.Load on this context failed
                // before registration (or someone registered the real assembly). Register under a name of our own.
                string fallbackName = LibraryAssembly.FullName!.Replace(
                    LoaderAssemblyName + ",", LoaderAssemblyName + ".ModelLoaders,", StringComparison.Ordinal);
                catalog.RegisterAssembly(new LoaderRegistrationAssembly(LibraryAssembly, fallbackName, loadableClass));
            }

            s_registeredCatalogs.AddOrUpdate(catalog, new object());
        }
    }

    /// <summary>
    /// Registers how to rebuild a transformer from the payload saved under <paramref name="kind"/>.
    /// Registering the same reader again does nothing; a different reader for a known kind is an error.
    /// </summary>
    public static void RegisterPayloadReader(string kind, Func<IHostEnvironment, BinaryReader, ITransformer> reader)
    {
        if (string.IsNullOrEmpty(kind))
            throw new ArgumentException("The payload kind must be a non-empty string.", nameof(kind));
        if (reader is null)
            throw new ArgumentNullException(nameof(reader));

        Func<IHostEnvironment, BinaryReader, ITransformer> registered = s_payloadReaders.GetOrAdd(kind, reader);
        if (!registered.Equals(reader))
            throw new InvalidOperationException($"A different payload reader is already registered for the kind '{kind}'.");
    }

    /// <summary>
    /// Saves a transformer of this library: call it from <see cref="ICanSaveModel.Save(ModelSaveContext)"/>.
    /// <paramref name="writePayload"/> writes the transformer's state; the payload reader registered for
    /// <paramref name="kind"/> reads it back. The writer may close its stream (TorchSharp's <c>save</c> does).
    /// </summary>
    public static void SaveModel(ModelSaveContext context, string kind, Action<BinaryWriter> writePayload)
    {
        if (context is null)
            throw new ArgumentNullException(nameof(context));
        if (string.IsNullOrEmpty(kind))
            throw new ArgumentException("The payload kind must be a non-empty string.", nameof(kind));
        if (writePayload is null)
            throw new ArgumentNullException(nameof(writePayload));

        // Written to memory first: a failing writer leaves no half-written entry, and closing the stream is harmless.
        byte[] payload;
        using (var buffer = new MemoryStream())
        {
            using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            {
                writePayload(writer);
                writer.Flush();
            }
            payload = buffer.ToArray();
        }

        byte[] entry = Seal(kind, payload);
        Internals.SaveCheckAtModel(context);
        Internals.SetVersionInfo(context, Internals.CreateVersionInfo());
        Internals.SaveBinaryStream(context, PayloadEntryName, writer => writer.Write(entry));
    }

    /// <summary>The payload stream of <paramref name="payload"/> saved under <paramref name="kind"/>, layout in the remarks on the class.</summary>
    internal static byte[] Seal(string kind, byte[] payload)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(OldestReadableFormatVersion);
            writer.Write(kind);
            writer.Write((long)payload.Length);
            writer.Write(payload);
            writer.Flush();
            writer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        }
        return buffer.ToArray();
    }

    /// <summary>Builds a <see cref="SchemaShape.Column"/> (its constructor is internal), for <c>GetOutputSchema</c>.</summary>
    public static SchemaShape.Column CreateColumn(string name, SchemaShape.Column.VectorKind vectorKind, DataViewType itemType,
        bool isKey, SchemaShape? annotations = null)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException("The column name must be a non-empty string.", nameof(name));
        if (itemType is null)
            throw new ArgumentNullException(nameof(itemType));
        if (itemType is VectorDataViewType)
            throw new ArgumentException($"The item type of column '{name}' must not be a vector type; give the vector kind instead.", nameof(itemType));
        if (itemType is KeyDataViewType)
            throw new ArgumentException($"The item type of column '{name}' must not be a key type; give isKey and the raw type instead.", nameof(itemType));
        return Internals.NewColumn(name, vectorKind, itemType, isKey, annotations);
    }

    /// <summary>The <see cref="SchemaShape"/> of a <see cref="DataViewSchema"/> (non-hidden columns, with annotations).</summary>
    public static SchemaShape ToSchemaShape(DataViewSchema schema)
    {
        if (schema is null)
            throw new ArgumentNullException(nameof(schema));
        return Internals.SchemaShapeCreate(schema);
    }

    /// <summary>
    /// Whether the execution of a host registered on an MLContext was cancelled. ML.NET keeps this flag behind its
    /// internal ICancelable; its trainers stop when it is set.
    /// </summary>
    public static bool IsCanceled(IHostEnvironment environment) => Internals.IsCanceled(environment);

    /// <summary>Sets the environment's cancellation flag, as ML.NET's internal <c>MLContext.CancelExecution()</c> does.</summary>
    public static void CancelExecution(IHostEnvironment environment) => Internals.CancelExecution(environment);

    /// <summary>
    /// Turns an exception thrown by <c>mlContext.Model.Load</c> into the one to show for a model of this library:
    /// an <see cref="InvalidOperationException"/> with the fix when the loaders were not registered, the library's
    /// own error (unwrapped from ML.NET's reflection wrappers) when its loader failed, or null when neither.
    /// </summary>
    internal static Exception? ExplainLoadFailure(Exception e)
    {
        if (e is null)
            throw new ArgumentNullException(nameof(e));
        foreach (Exception inner in Chain(e))
        {
            if (inner.Message.Contains(UnregisteredLoadersMessage, StringComparison.Ordinal))
            {
                return new InvalidOperationException(
                    "The model contains Microsoft.ML.Gan transformers, but their loaders are not registered with this MLContext. " +
                    "Call mlContext.Gan() before mlContext.Model.Load(...).", e);
            }
            if (inner.Data.Contains(OwnExceptionKey))
                return inner;
        }
        return null;
    }

    // Called by GanModelLoader<ModelLoadContext>.Create.
    internal static ITransformer LoadModel(IHostEnvironment env, object context)
    {
        if (env is null)
            throw new ArgumentNullException(nameof(env));
        if (context is null)
            throw new ArgumentNullException(nameof(context));

        Internals.LoadCheckAtModel(context, Internals.CreateVersionInfo());
        VerifyArchive(context);
        string entryName = Internals.LoadDirectory(context) is { Length: > 0 } directory
            ? directory.Replace('\\', '/') + "/" + PayloadEntryName
            : PayloadEntryName;
        byte[]? entry = null;
        bool found;
        try
        {
            found = Internals.TryLoadBinaryStream(context, PayloadEntryName, reader => entry = ReadToEnd(reader.BaseStream));
        }
        catch (InvalidDataException e)
        {
            // The zip's compressed data itself is broken (System.IO.Compression could not inflate it).
            throw Own(new InvalidDataException($"The model file is damaged: its entry '{entryName}' cannot be decompressed ({e.Message}). " +
                "Load it from a good copy, or save the model again.", e));
        }
        if (!found || entry is null)
            throw Own(new InvalidDataException(
                $"The model is corrupt: a Microsoft.ML.Gan transformer's '{PayloadEntryName}' entry is missing."));

        (string kind, int payloadStart, int payloadLength) = ReadHeader(entry, entryName);

        if (!s_payloadReaders.TryGetValue(kind, out Func<IHostEnvironment, BinaryReader, ITransformer>? read))
        {
            string known = string.Join(", ", s_payloadReaders.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => "'" + k + "'"));
            throw Own(new InvalidDataException(
                $"The model holds a Microsoft.ML.Gan transformer of kind '{kind}', which this version cannot load " +
                $"(known kinds: {(known.Length == 0 ? "none" : known)}). Was it saved by a newer Microsoft.ML.Gan?"));
        }

        // A MemoryStream: TorchSharp's load(Stream) closes the stream it is given and seeks in non-strict mode.
        var payloadReader = new BinaryReader(new MemoryStream(entry, payloadStart, payloadLength, writable: false), Encoding.UTF8);
        try
        {
            return read(env, payloadReader);
        }
        catch (InvalidDataException e)
        {
            throw Own(e);
        }
        catch (EndOfStreamException e)
        {
            throw Own(new InvalidDataException($"The model is corrupt: the '{kind}' payload in '{entryName}' ends too early.", e));
        }
    }

    // ML.NET 5 reads zip entries without checking their CRC-32s (System.IO.Compression checks them from .NET 11 on).
    // The library's own entries, the bulk of the file, are left to their SHA-256, which their loaders check anyway.
    private static void VerifyArchive(object context)
    {
        ZipArchive? archive = Internals.LoadArchive(context);
        if (archive is null || s_verifiedArchives.TryGetValue(archive, out _))
            return;
        try
        {
            ZipIntegrity.Verify(archive, PayloadEntryName);
        }
        catch (InvalidDataException e)
        {
            throw Own(e);
        }
        s_verifiedArchives.AddOrUpdate(archive, archive);
    }

    // Checks the payload stream's versions and checksum; returns where the kind's payload lies in it.
    private static (string Kind, int PayloadStart, int PayloadLength) ReadHeader(byte[] entry, string entryName)
    {
        using var stream = new MemoryStream(entry, writable: false);
        using var header = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            int written = header.ReadInt32();
            bool hasChecksum = written != UncheckedFormatVersion;
            if (hasChecksum && !ChecksumMatches(entry))
                throw Own(new InvalidDataException(
                    $"The model file is damaged: the SHA-256 checksum of its entry '{entryName}' does not match its contents " +
                    "(the file was truncated or altered after it was saved). Load it from a good copy, or save the model again."));
            int readable = header.ReadInt32();
            if (readable > FormatVersion || readable > written)
                throw Own(new InvalidDataException(
                    $"The model was saved by a newer Microsoft.ML.Gan (model format {written}, readable from format {readable}); " +
                    $"this version reads formats {OldestReadableFormatVersion} to {FormatVersion}. Update Microsoft.ML.Gan."));
            if (written < OldestReadableFormatVersion)
                throw Own(new InvalidDataException(
                    $"The model was saved in Microsoft.ML.Gan model format {written}; this version reads formats " +
                    $"{OldestReadableFormatVersion} to {FormatVersion}."));
            string kind = header.ReadString();
            long length = header.ReadInt64();
            long left = stream.Length - stream.Position - (hasChecksum ? ChecksumLength : 0);
            if (length < 0 || length > left)
                throw Own(new InvalidDataException(
                    $"The model is corrupt: the '{kind}' payload claims {length} bytes, {left} are left."));
            return (kind, (int)stream.Position, (int)length);
        }
        catch (EndOfStreamException e)
        {
            throw Own(new InvalidDataException($"The model is corrupt: '{entryName}' ends too early.", e));
        }
    }

    private static bool ChecksumMatches(byte[] entry) =>
        entry.Length >= ChecksumLength
        && SHA256.HashData(entry.AsSpan(0, entry.Length - ChecksumLength)).AsSpan().SequenceEqual(entry.AsSpan(entry.Length - ChecksumLength));

    private static byte[] ReadToEnd(Stream stream)
    {
        // ML.NET hands over a seekable copy of the entry: read it into one buffer of its length, not a growing one.
        if (stream.CanSeek)
        {
            long length = stream.Length - stream.Position;
            if (length > Array.MaxLength)
                throw Own(new InvalidDataException($"The model is corrupt: its '{PayloadEntryName}' entry is {length} bytes long, more than a model can hold."));
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static Exception Own(Exception e)
    {
        e.Data[OwnExceptionKey] = true;
        return e;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        var pending = new Stack<Exception>();
        pending.Push(e);
        while (pending.Count > 0)
        {
            Exception current = pending.Pop();
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (Exception inner in aggregate.InnerExceptions.Reverse())
                    pending.Push(inner);
            }
            else if (current.InnerException is not null)
            {
                pending.Push(current.InnerException);
            }
        }
    }

    /// <summary>Every ML.NET internal this library uses, looked up once by name.</summary>
    private static class Internals
    {
        private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        private const BindingFlags Static = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

        // Microsoft.ML.Core
        private static readonly Lazy<Type> s_versionInfo = new(() => FindType(typeof(ModelSaveContext).Assembly, "Microsoft.ML.VersionInfo"));
        private static readonly Lazy<Type> s_modelLoadContext = new(() => FindType(typeof(ModelSaveContext).Assembly, "Microsoft.ML.ModelLoadContext"));
        private static readonly Lazy<Type> s_signatureLoadModel = new(() => FindType(typeof(ModelSaveContext).Assembly, "Microsoft.ML.SignatureLoadModel"));
        private static readonly Lazy<Type> s_loadableClassAttribute = new(() => FindType(typeof(ModelSaveContext).Assembly, "Microsoft.ML.LoadableClassAttribute"));

        // VersionInfo(string modelSignature, uint verWrittenCur, uint verReadableCur, uint verWeCanReadBack,
        //             string loaderAssemblyName, string loaderSignature, string loaderSignatureAlt)
        private static readonly Lazy<ConstructorInfo> s_versionInfoCtor = new(() => FindConstructor(s_versionInfo.Value,
            typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(string), typeof(string), typeof(string)));

        // LoadableClassAttribute(Type instType, Type loaderType, Type argType, Type sigType, string userName, params string[] loadNames)
        private static readonly Lazy<ConstructorInfo> s_loadableClassCtor = new(() => FindConstructor(s_loadableClassAttribute.Value,
            typeof(Type), typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[])));

        // ModelSaveContext (public type, internal members)
        private static readonly Lazy<MethodInfo> s_saveCheckAtModel = new(() => FindMethod(typeof(ModelSaveContext), "CheckAtModel", Instance));
        private static readonly Lazy<MethodInfo> s_setVersionInfo = new(() => FindMethod(typeof(ModelSaveContext), "SetVersionInfo", Instance, s_versionInfo.Value));
        private static readonly Lazy<MethodInfo> s_saveBinaryStream = new(() => FindMethod(typeof(ModelSaveContext), "SaveBinaryStream", Instance,
            typeof(string), typeof(Action<BinaryWriter>)));

        // ModelLoadContext
        private static readonly Lazy<MethodInfo> s_loadCheckAtModel = new(() => FindMethod(s_modelLoadContext.Value, "CheckAtModel", Instance, s_versionInfo.Value));
        private static readonly Lazy<MethodInfo> s_tryLoadBinaryStream = new(() => FindMethod(s_modelLoadContext.Value, "TryLoadBinaryStream", Instance,
            typeof(string), typeof(Action<BinaryReader>)));
        private static readonly Lazy<FieldInfo> s_loadDirectory = new(() => FindField(s_modelLoadContext.Value, "Directory", typeof(string)));
        private static readonly Lazy<Type> s_repositoryReader = new(() => FindType(typeof(ModelSaveContext).Assembly, "Microsoft.ML.RepositoryReader"));
        private static readonly Lazy<FieldInfo> s_loadRepository = new(() => FindField(s_modelLoadContext.Value, "Repository", s_repositoryReader.Value));

        // RepositoryReader keeps its ZipArchive private; the zip's CRC-32s can be checked only through it.
        private static readonly Lazy<FieldInfo> s_repositoryArchive = new(() => FindField(s_repositoryReader.Value, "_archive", typeof(ZipArchive)));

        // SchemaShape
        private static readonly Lazy<ConstructorInfo> s_columnCtor = new(() => FindConstructor(typeof(SchemaShape.Column),
            typeof(string), typeof(SchemaShape.Column.VectorKind), typeof(DataViewType), typeof(bool), typeof(SchemaShape)));
        private static readonly Lazy<MethodInfo> s_schemaShapeCreate = new(() => FindMethod(typeof(SchemaShape), "Create", Static, typeof(DataViewSchema)));

        // Cancellation: hosts registered on an MLContext implement the internal ICancelable; MLContext itself only has an
        // internal CancelExecution() that cancels its environment and every host registered on it.
        private static readonly Lazy<Type> s_cancelable = new(() => FindType(typeof(IHostEnvironment).Assembly, "Microsoft.ML.Runtime.ICancelable"));
        private static readonly Lazy<MethodInfo> s_cancelableCancel = new(() => FindMethod(s_cancelable.Value, "CancelExecution", Instance));
        private static readonly Lazy<MethodInfo> s_isCanceled = new(() => FindMethod(s_cancelable.Value, "get_IsCanceled", Instance));
        private static readonly Lazy<MethodInfo> s_contextCancel = new(() => FindMethod(typeof(MLContext), "CancelExecution", Instance));

        public static bool IsCanceled(IHostEnvironment environment) =>
            s_cancelable.Value.IsInstanceOfType(environment) && (bool)Invoke(s_isCanceled.Value, environment)!;

        public static void CancelExecution(IHostEnvironment environment)
        {
            if (environment is MLContext)
                Invoke(s_contextCancel.Value, environment);
            else if (s_cancelable.Value.IsInstanceOfType(environment))
                Invoke(s_cancelableCancel.Value, environment);
            else
                throw new NotSupportedException($"{environment.GetType().Name} cannot be cancelled; pass an MLContext or a host registered on one.");
        }

        public static object CreateVersionInfo() => Invoke(s_versionInfoCtor.Value,
            ModelSignature, MlNetHeaderVersion, MlNetHeaderVersion, MlNetHeaderVersion, LoaderAssemblyName, LoaderSignature, null);

        public static Attribute CreateLoadableClassAttribute()
        {
            Type loaderType = typeof(GanModelLoader<>).MakeGenericType(s_modelLoadContext.Value);
            return (Attribute)Invoke(s_loadableClassCtor.Value,
                typeof(ITransformer), loaderType, null, s_signatureLoadModel.Value, "Microsoft.ML.Gan model", new[] { LoaderSignature });
        }

        public static void SaveCheckAtModel(ModelSaveContext context) => Invoke(s_saveCheckAtModel.Value, context);

        public static void SetVersionInfo(ModelSaveContext context, object versionInfo) => Invoke(s_setVersionInfo.Value, context, versionInfo);

        public static void SaveBinaryStream(ModelSaveContext context, string name, Action<BinaryWriter> write) =>
            Invoke(s_saveBinaryStream.Value, context, name, write);

        public static void LoadCheckAtModel(object context, object versionInfo) => Invoke(s_loadCheckAtModel.Value, context, versionInfo);

        public static bool TryLoadBinaryStream(object context, string name, Action<BinaryReader> read) =>
            (bool)Invoke(s_tryLoadBinaryStream.Value, context, name, read)!;

        // The zip folder of the transformer being loaded ("TransformerChain/Transform_001"), or null at the root.
        public static string? LoadDirectory(object context) => (string?)s_loadDirectory.Value.GetValue(context);

        // The zip being loaded, or null when ML.NET reads a single stream rather than a repository.
        public static ZipArchive? LoadArchive(object context) =>
            s_loadRepository.Value.GetValue(context) is { } repository ? (ZipArchive?)s_repositoryArchive.Value.GetValue(repository) : null;

        public static SchemaShape.Column NewColumn(string name, SchemaShape.Column.VectorKind vectorKind, DataViewType itemType,
            bool isKey, SchemaShape? annotations) =>
            (SchemaShape.Column)Invoke(s_columnCtor.Value, name, vectorKind, itemType, isKey, annotations);

        public static SchemaShape SchemaShapeCreate(DataViewSchema schema) => (SchemaShape)Invoke(s_schemaShapeCreate.Value, null, schema)!;

        private static Type FindType(Assembly assembly, string fullName) =>
            assembly.GetType(fullName, throwOnError: false) ?? throw Missing($"type '{fullName}' in {assembly.GetName().Name}");

        private static ConstructorInfo FindConstructor(Type type, params Type[] parameters) =>
            type.GetConstructor(Instance, binder: null, parameters, modifiers: null)
            ?? throw Missing($"constructor {type.FullName}({Describe(parameters)})");

        private static MethodInfo FindMethod(Type type, string name, BindingFlags flags, params Type[] parameters) =>
            type.GetMethod(name, flags, binder: null, parameters, modifiers: null)
            ?? throw Missing($"method {type.FullName}.{name}({Describe(parameters)})");

        private static FieldInfo FindField(Type type, string name, Type fieldType) =>
            type.GetField(name, Instance) is { } field && field.FieldType == fieldType
                ? field
                : throw Missing($"field {fieldType.Name} {type.FullName}.{name}");

        private static string Describe(Type[] parameters) => string.Join(", ", parameters.Select(p => p.Name));

        private static MissingMemberException Missing(string what) => new(
            $"Microsoft.ML.Gan needs the ML.NET internal {what}, which Microsoft.ML {MlNetVersion()} does not have. " +
            $"This Microsoft.ML.Gan works with {SupportedMlNetVersions}.");

        // ML.NET's assembly version is 1.0.0.0 in every release; the package version is in the informational version.
        private static string MlNetVersion() =>
            typeof(ModelSaveContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(ModelSaveContext).Assembly.GetName().Version?.ToString() ?? "(unknown version)";

        private static object Invoke(ConstructorInfo constructor, params object?[] arguments)
        {
            try
            {
                return constructor.Invoke(arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }

        private static object? Invoke(MethodInfo method, object? target, params object?[] arguments)
        {
            try
            {
                return method.Invoke(target, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }
}
