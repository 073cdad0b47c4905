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
        services.AddSingleton<CanvasWriteBack>();
        services.AddSingleton<CanvasCache>();
        return services;
    }
}
