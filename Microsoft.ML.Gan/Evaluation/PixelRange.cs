namespace Microsoft.ML.Gan;

/// <summary>The range of pixel values a TorchScript feature extractor expects.</summary>
public enum PixelRange
{
    /// <summary>[−1, 1]: what GAN generators produce and this library's networks read.</summary>
    MinusOneToOne,

    /// <summary>[0, 1]: torchvision's <c>ToTensor</c>, and pytorch-fid's Inception with its own input normalisation.</summary>
    ZeroToOne,

    /// <summary>[0, 255]: raw bytes as floats.</summary>
    ZeroTo255,
}
