using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CanvasLearning.Security;

/// <summary>The checks on a caller: the API key and, for browsers, the Origin.</summary>
public sealed class AccessPolicy(IOptions<SecurityOptions> options)
{
    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.ApiKey) ? null : Encoding.UTF8.GetBytes(options.Value.ApiKey);
    private readonly HashSet<string> _origins = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public bool RequiresKey => _key is not null;

    /// <summary>Constant-time comparison, so the key cannot be guessed a byte at a time.</summary>
    public bool IsValidKey(string? presented) =>
        _key is null || (presented is not null && CryptographicOperations.FixedTimeEquals(_key, Encoding.UTF8.GetBytes(presented)));

    public bool IsAllowedOrigin(string? origin)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (_origins.Contains(origin.TrimEnd('/')))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase));
    }
}
