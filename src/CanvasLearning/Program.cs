using CanvasLearning.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
