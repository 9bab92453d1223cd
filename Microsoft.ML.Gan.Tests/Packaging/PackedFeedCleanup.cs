using NUnit.Framework;

namespace Microsoft.ML.Gan.Tests.Packaging;

/// <summary>Deletes the <see cref="PackedFeed"/> folder once every test of this namespace has run.</summary>
[SetUpFixture]
public class PackedFeedCleanup
{
    [OneTimeTearDown]
    public void DeleteThePackedFeed() => PackedFeed.DeleteIfPacked();
}
