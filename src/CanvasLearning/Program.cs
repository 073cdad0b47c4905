using System.CommandLine;
using CanvasLearning.Cli;

// On Ctrl+C or SIGTERM the command's token is cancelled and the host shuts down gracefully (sockets
// get server_shutdown and 1012, sessions are suspended for resume). System.CommandLine would end the
// process 2 s later by default, cutting that short; give it longer than the host's own 30 s bound.
return await CliApp.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = CliApp.TerminationTimeout });
