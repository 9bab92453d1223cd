using System.Linq;
using static TorchSharp.torch;

namespace Microsoft.ML.Gan.Tests.Networks;

// TorchSharp's torch.equal is element-wise (it returns a Tensor), unlike PyTorch's: compare shape and values here.
internal static class TensorComparison
{
    public static bool Identical(Tensor left, Tensor right)
    {
        if (!left.shape.SequenceEqual(right.shape) || left.dtype != right.dtype)
        {
            return false;
        }

        using var same = left.eq(right);
        using var all = same.all();
        return all.item<bool>();
    }
}
