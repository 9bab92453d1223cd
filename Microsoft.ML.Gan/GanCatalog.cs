using System;
using Microsoft.ML.Gan.Persistence;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Gan;

/// <summary>
/// The entry point of Microsoft.ML.Gan: <c>mlContext.Gan()</c>. Getting it also registers the library's model
/// loaders with that MLContext, so <c>mlContext.Model.Load</c> can read saved GAN models afterwards.
/// </summary>
public sealed class GanCatalog
{
    static GanCatalog()
    {
        MlNetBridge.RegisterPayloadReader(GanTransformer.PayloadKind,
            (environment, reader) => new GanTransformer(environment, GanModelSerializer.Read(reader, LoadDevice(environment))));
        MlNetBridge.RegisterPayloadReader(ConditionalGanTransformer.PayloadKind,
            (environment, reader) => new ConditionalGanTransformer(environment, GanModelSerializer.Read(reader, LoadDevice(environment))));
        MlNetBridge.RegisterPayloadReader(GeneratorTransformer.PayloadKind,
            (environment, reader) => new GeneratorTransformer(GanModelSerializer.Read(reader, LoadDevice(environment)), ownsModel: true));
    }

    internal GanCatalog(MLContext context)
    {
        Context = context;
        MlNetBridge.RegisterLoaders(context);
        Trainers = new GanTrainerCatalog(context);
    }

    internal MLContext Context { get; }

    /// <summary>The GAN trainers: <see cref="GanTrainerCatalog.Gan(GanTrainer.Options)"/>, <see cref="GanTrainerCatalog.ConditionalGan(ConditionalGanTrainer.Options)"/> and their simple overloads.</summary>
    public GanTrainerCatalog Trainers { get; }

    /// <summary>
    /// Cancels the MLContext's running work, as ML.NET's own (internal) <c>MLContext.CancelExecution</c> does: GAN training
    /// stops before its next step with an <see cref="OperationCanceledException"/>, and so do ML.NET's trainers. The
    /// context stays cancelled; create a new MLContext to train again.
    /// </summary>
    public void CancelExecution() => MlNetBridge.CancelExecution(Context);

    // Loaded models run where ML.NET's GPU settings say when the loading context is an MLContext, else on the CPU.
    // Called before a model's networks are built, so a missing native backend is reported by name.
    private static TorchSharp.torch.Device LoadDevice(IHostEnvironment environment)
    {
        Training.TorchBackend.EnsureAvailable();
        return environment is MLContext context
            ? Training.TorchDevice.Select(context.GpuDeviceId, context.FallbackToCpu)
            : TorchSharp.torch.CPU;
    }
}
