using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Threading;
using Microsoft.ML.Gan.Torch;
using Microsoft.ML.Gan.Training;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Training;

/// <summary>
/// TorchSharp frees a number converted to a <see cref="Scalar"/> in its finalizer, and nothing keeps the scalar alive
/// once its native handle is read; a garbage collection on another thread during the libtorch call then frees it while
/// libtorch reads it ("Unknown scalar type" from Adam.step, seen in this suite). The library holds every scalar it passes.
/// </summary>
[TestFixture]
public class ScalarLifetimeTests
{
    [Test]
    public void AdamOptimizerUpdatesBitForBitAsTorchSharpsAdamAndSavesTheSameState()
    {
        using var ours = new Parameter(randn(3, 5, generator: new torch.Generator(4)));
        using var theirs = new Parameter(ours.detach().clone());
        using var optimizer = new AdamOptimizer(new[] { ours }, 0.01, 0.5, 0.999);
        using var reference = optim.Adam(new[] { theirs }, 0.01, 0.5, 0.999);
        using var gradients = new torch.Generator(5);
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            Tensor gradient = randn(3, 5, generator: gradients);
            ours.grad = gradient.clone();
            theirs.grad = gradient.clone();
            optimizer.Step();
            reference.step();
        }

        Assert.That(ours.detach().data<float>().ToArray(), Is.EqualTo(theirs.detach().data<float>().ToArray()), "parameters after 6 steps");
        Assert.That(Saved(optimizer.Save), Is.EqualTo(Saved(reference.save_state_dict)), "saved optimizer state");
    }

    [Test]
    public void AdamOptimizerStepsWithTheLearningRateItWasLastGiven()
    {
        using var parameter = new Parameter(ones(4));
        using var optimizer = new AdamOptimizer(new[] { parameter }, 0.1, 0.5, 0.999);
        optimizer.LearningRate = 0.025;
        parameter.grad = ones(4);
        optimizer.Step();

        // Adam's first step moves each weight by the learning rate (times g/|g| up to ε).
        Assert.That(optimizer.LearningRate, Is.EqualTo(0.025));
        Assert.That(parameter.detach().data<float>().ToArray(), Is.All.EqualTo(1 - 0.025).Within(1e-6));
    }

    [Test]
    public void LibraryLeakyReLUComputesWhatTorchSharpsDoes()
    {
        using var scope = NewDisposeScope();
        Tensor input = randn(4, 7, generator: new torch.Generator(3));
        using var ours = new Microsoft.ML.Gan.Networks.LeakyReLU(0.2);
        using var theirs = nn.LeakyReLU(0.2);
        Assert.That(ours.call(input).data<float>().ToArray(), Is.EqualTo(theirs.call(input).data<float>().ToArray()));
    }

    [Test]
    public void AdamStepsAreUnaffectedByGarbageCollectionsOnAnotherThread()
    {
        float[] quiet = TrainedWeights(collectorRunning: false);
        float[] disturbed = TrainedWeights(collectorRunning: true);
        Assert.That(disturbed, Is.EqualTo(quiet));
    }

    [Test]
    public void NoLibraryMethodHandsLibtorchANumberThroughAScalarItDoesNotHold()
    {
        var offenders = new List<string>();
        foreach (Type type in typeof(GanTrainer).Assembly.GetTypes())
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                foreach (MethodBase called in CalledMethods(method))
                {
                    if (UnheldScalarReason(called) is string reason)
                    {
                        offenders.Add($"{type.FullName}.{method.Name} calls {called.DeclaringType?.Name}.{called.Name}({string.Join(", ", called.GetParameters().Select(p => p.ParameterType.Name))}): {reason}");
                    }
                }
            }
        }

        Assert.That(offenders, Is.Empty, "use ScalarArguments, a held Scalar or the library's LeakyReLU instead");
    }

    private static float[] TrainedWeights(bool collectorRunning)
    {
        using var parameter = new Parameter(randn(1_000_000, generator: new torch.Generator(7)));
        using var optimizer = new AdamOptimizer(new[] { parameter }, 1e-3, 0.5, 0.999);
        using var gradients = new torch.Generator(8);
        bool stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        if (collectorRunning)
        {
            collector.Start();
        }

        try
        {
            for (int step = 0; step < 300; step++)
            {
                using var scope = NewDisposeScope();
                parameter.grad = randn(1_000_000, generator: gradients);
                optimizer.Step();
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            if (collectorRunning)
            {
                collector.Join();
            }
        }

        return parameter.detach().data<float>().ToArray();
    }

    private static byte[] Saved(Action<BinaryWriter> save)
    {
        var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            save(writer);
        }
        return buffer.ToArray();
    }

    // The TorchSharp 0.107 members that turn a number into a Scalar themselves and drop it during the native call.
    private static string? UnheldScalarReason(MethodBase called)
    {
        Type? declaring = called.DeclaringType;
        if (declaring?.Assembly != typeof(Tensor).Assembly)
        {
            return null;
        }

        ParameterInfo[] parameters = called.GetParameters();
        bool takesNumber = parameters.Any(p => p.ParameterType.IsPrimitive);
        return called.Name switch
        {
            "op_Implicit" when declaring == typeof(Scalar) => "converts a number to a Scalar nothing holds",
            "op_Addition" when declaring == typeof(Tensor) => "adds with a converted alpha of 1",
            "add" or "add_" when declaring == typeof(Tensor) && parameters.Length == 1 => "adds with a converted alpha of 1",
            _ when declaring == typeof(Tensor) && called.Name.StartsWith("op_", StringComparison.Ordinal) && takesNumber => "converts its number operand",
            "softplus" or "leaky_relu" or "leaky_relu_" when takesNumber => "converts its number arguments",
            "LeakyReLU" or "vector_norm" or "matrix_norm" or "arange" => "converts its number arguments",
            _ => null,
        };
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    private static IEnumerable<MethodBase> CalledMethods(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } generic ? generic.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int position = 0;
        while (position < il.Length)
        {
            short value = il[position] == 0xFE ? unchecked((short)(0xFE00 | il[position + 1])) : il[position];
            position += il[position] == 0xFE ? 2 : 1;
            OpCode code = OpCodesByValue[value];
            if (code.OperandType == OperandType.InlineMethod)
            {
                yield return method.Module.ResolveMethod(BitConverter.ToInt32(il, position), typeArguments, methodArguments)!;
            }

            position += code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
                _ => 4,
            };
        }
    }
}
