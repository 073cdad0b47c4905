using CanvasLearning.Cli;

return await CliApp.InvokeAsync(args);
