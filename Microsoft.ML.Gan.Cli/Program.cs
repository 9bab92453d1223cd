using Microsoft.ML.Gan.Cli;

// gan train | generate: exit code 0 on success, 2 on bad arguments, 1 on failure (one line on stderr, no stack trace).
return GanCli.Run(args);
