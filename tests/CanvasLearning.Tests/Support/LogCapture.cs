using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CanvasLearning.Tests.Support;

/// <summary>
/// Keeps what the server logs (at the configured levels) so a test can read it like an operator would:
/// the message, the structured state a JSON formatter writes, the scopes and the exception.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider? _scopes;

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static List<KeyValuePair<string, string?>> Pairs(object? state) =>
        state is IEnumerable<KeyValuePair<string, object?>> pairs ? [.. pairs.Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString()))] : [];

    private sealed class Logger(string category, LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            capture._scopes?.ForEachScope(
                static (scope, list) => list.Add(scope is IEnumerable<KeyValuePair<string, object?>> pairs
                    ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"))
                    : scope?.ToString() ?? ""),
                scopes);
            capture._entries.Enqueue(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception))
            {
                State = Pairs(state),
                Scopes = scopes,
                Exception = exception?.ToString(),
            });
        }
    }
}

public sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message)
{
    /// <summary>The structured values (what the JSON console formatter writes as <c>State</c>), as text.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> State { get; init; } = [];

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public string? Exception { get; init; }

    /// <summary>Every piece of text this entry puts in front of whoever reads the log.</summary>
    public IEnumerable<string> Texts() =>
        new[] { Message, Exception ?? "" }.Concat(State.Select(p => p.Value ?? "")).Concat(Scopes);
}
