using Microsoft.Extensions.Options;

namespace CanvasLearning.Canvas;

/// <summary>The vault and the canvas writer.</summary>
public static class CanvasRegistration
{
    public static IServiceCollection AddCanvas(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VaultOptions>().Bind(configuration.GetSection(VaultOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.Root) || Directory.Exists(o.Root), "Vault:Root must be an existing folder")
            .ValidateOnStart();
        services.AddSingleton(sp => new Vault(sp.GetRequiredService<IOptions<VaultOptions>>().Value.Root));
        // The pause between two writes of a canvas is as long as the last write took: time on the
        // machine's clock, not the server's TimeProvider (a test's fake clock, moved while a write
        // runs, would hold the next write behind a clock nobody moves again).
        services.AddSingleton(sp => new CanvasWriteBack(sp.GetRequiredService<CanvasCache>(), TimeProvider.System));
        services.AddSingleton<CanvasCache>();
        return services;
    }
}
