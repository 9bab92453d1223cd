namespace Microsoft.ML.Gan.Data;

/// <summary>How a conditional model reads labels: recorded at training time and applied again after loading.</summary>
/// <param name="ColumnName">The label column's name (read by <c>Transform</c>, written by <c>Generate</c>).</param>
/// <param name="Labels">The classes: key type, original values, training frequencies.</param>
/// <param name="Method">How the discriminator is conditioned; it fixes the discriminator's output layout.</param>
internal sealed record LabelConditioning(string ColumnName, ClassLabels Labels, ConditioningMethod Method);
