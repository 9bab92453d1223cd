namespace Microsoft.ML.Gan.Cli;

/// <summary>The process exit codes of the gan tool.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadArguments = 2;
}
