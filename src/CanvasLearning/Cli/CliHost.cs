using CanvasLearning.Hosting;
using CanvasLearning.Security;

namespace CanvasLearning.Cli;

/// <summary>The services of the server without the web server, for one run in the terminal.</summary>
internal static class CliHost
{
    public static IHost Build(string vaultRoot, int offlineLatencyMs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddCanvasLearningDefaults();
        builder.Configuration.AddEnvironmentVariables("CANVAS_LEARNING_");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vault:Root"] = vaultRoot,
            ["Agents:Offline:SimulatedLatencyMilliseconds"] = offlineLatencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        // The terminal shows progress; the log only speaks up for problems.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A start-up failure (a bad setting) is printed by `run` as one line; the host's own stack trace is noise there.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.AddCanvasLearning(builder.Configuration);
        builder.Services.AddLogRedaction(builder.Configuration);
        return builder.Build();
    }
}
