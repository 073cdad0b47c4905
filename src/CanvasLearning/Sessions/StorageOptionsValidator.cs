using Microsoft.Extensions.Options;

namespace CanvasLearning.Sessions;

/// <summary>
/// A data folder the service cannot create is found at start-up, as a setting to fix, and not as an
/// I/O stack trace when the store opens. Creating it is what the store does first anyway.
/// </summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            return ValidateOptionsResult.Skip;
        }

        try
        {
            Directory.CreateDirectory(options.DataDirectory);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ValidateOptionsResult.Fail(
                $"Storage:DataDirectory '{options.DataDirectory}' cannot be created ({ex.Message.TrimEnd('.')}); name a folder the service may write, or leave it empty for .canvas-learning inside the vault");
        }
    }
}
