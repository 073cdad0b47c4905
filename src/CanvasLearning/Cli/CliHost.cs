using System.Globalization;
using CanvasLearning.Hosting;
using CanvasLearning.Security;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Cli;

/// <summary>The services of the server without the web server, for one run in the terminal.</summary>
internal static class CliHost
{
    /// <summary>The builder with its configuration, apart so that <c>run</c> can read the configuration when <see cref="Build"/> refuses it.</summary>
    /// <param name="offlineLatencyMs">From <c>--offline-latency-ms</c>; when not given, the setting (or its default) stands.</param>
    public static HostApplicationBuilder CreateBuilder(string vaultRoot, int? offlineLatencyMs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddCanvasLearningDefaults();
        builder.Configuration.AddEnvironmentVariables("CANVAS_LEARNING_");
        var settings = new Dictionary<string, string?> { ["Vault:Root"] = vaultRoot };
        if (offlineLatencyMs is { } latency)
        {
            settings["Agents:Offline:SimulatedLatencyMilliseconds"] = latency.ToString(CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(settings);

        // The terminal shows progress; the log only speaks up for problems.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A start-up failure (a bad setting) is printed by `run` as one line; the host's own stack trace is noise there.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        return builder;
    }

    /// <summary>Registers the features and builds the host, validating every setting (a bad one throws, as in <see cref="ServerApp.Build(WebApplicationBuilder, Action{IServiceCollection}?)"/>).</summary>
    public static IHost Build(HostApplicationBuilder builder)
    {
        builder.Services.AddCanvasLearning(builder.Configuration);
        builder.Services.AddLogRedaction(builder.Configuration);
        var host = builder.Build();
        host.Services.GetService<IStartupValidator>()?.Validate();
        return host;
    }
}
