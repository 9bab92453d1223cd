using System.Collections.Generic;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Networks;

/// <summary>
/// A convolutional discriminator whose intermediate feature maps can be read, for the discriminator featurizer
/// (Radford et al. 2015, §5.1). A discriminator architecture that implements it can be featurized.
/// </summary>
internal interface ILayerActivations
{
    /// <summary>
    /// The feature maps [N, channels, height, width] of every convolutional layer, input side first, for images
    /// [N, C, H, W] in [−1, 1]. Call it inside a dispose scope: the maps are new tensors.
    /// </summary>
    IReadOnlyList<Tensor> LayerActivations(Tensor images);
}
