namespace Microsoft.ML.Gan.Cli;

/// <summary>The process exit codes of the gan tool.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadArguments = 2;

    /// <summary>Stopped by Ctrl+C (SIGINT): 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (Kubernetes, systemd, docker stop): 128 + 15, as shells report it.</summary>
    public const int Terminated = 143;
}
