using System.Collections;
using System.Collections.Concurrent;

namespace CanvasLearning.Security;

/// <summary>
/// Sits in front of the host's logger factory, so that every provider (console, JSON, event source, a
/// test's capture) gets only masked entries while its own filter rules keep working. Decorating the
/// factory rather than each <see cref="ILoggerProvider"/>: filter rules and aliases
/// (<c>Logging:Console:LogLevel</c>) are matched on the provider's type, which a wrapper would hide.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner, LogRedactor redactor) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    // Some framework code asks for its logger on every request (HTTP results do): one wrapper per category.
    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (category, self) => new RedactingLogger(self.Inner.CreateLogger(category), self.Redactor), this);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The container created the inner factory, and disposes it.</summary>
    public void Dispose()
    {
    }

    private ILoggerFactory Inner => inner;

    private LogRedactor Redactor => redactor;
}

/// <summary>Masks secrets in the message, the structured values, the scopes and the exception of each entry before the inner logger sees them.</summary>
internal sealed class RedactingLogger(ILogger inner, LogRedactor redactor) : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        if (!HoldsSecret(state, static (s, _) => s.ToString() ?? "", null))
        {
            return inner.BeginScope(state);
        }

        var text = redactor.Redact(state.ToString() ?? "");
        return state is IEnumerable<KeyValuePair<string, object?>> pairs ? inner.BeginScope(RedactedState.Of(pairs, text, redactor)) : inner.BeginScope(text);
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var exceptionText = exception?.ToString();
        var secretInException = exceptionText is not null && redactor.ContainsSecret(exceptionText);
        if (!secretInException && !HoldsSecret(state, formatter, exception))
        {
            // The common case: the entry goes on as it came, with no copy and no extra formatting.
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        var message = redactor.Redact(formatter(state, exception));
        var redactedException = secretInException ? new RedactedException(exception!, redactor.Redact(exceptionText!), redactor) : exception;
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            inner.Log(logLevel, eventId, RedactedState.Of(pairs, message, redactor), redactedException, static (s, _) => s.Message);
        }
        else
        {
            // A state of its own type is known to the formatter only: what is left is its masked text.
            inner.Log(logLevel, eventId, message, redactedException, static (s, _) => s);
        }
    }

    private bool HoldsSecret<TState>(TState state, Func<TState, Exception?, string> formatter, Exception? exception)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            for (var i = 0; i < values.Count; i++)
            {
                if (redactor.PrintsSecret(values[i].Value))
                {
                    return true;
                }
            }

            // A message template (one of the values) filled with these values prints nothing else.
            if (values.Count > 0 && values[^1].Key == OriginalFormat)
            {
                return false;
            }
        }
        else if (state is IEnumerable<KeyValuePair<string, object?>> pairs && pairs.Any(p => redactor.PrintsSecret(p.Value)))
        {
            // A dictionary as a scope: formatters write its pairs, not its ToString.
            return true;
        }

        return redactor.ContainsSecret(formatter(state, exception));
    }
}

/// <summary>A log entry's state or scope with its secrets masked: the values a JSON formatter writes, and the message.</summary>
internal sealed class RedactedState(string message, KeyValuePair<string, object?>[] values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string Message => message;

    public int Count => values.Length;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public static RedactedState Of(IEnumerable<KeyValuePair<string, object?>> pairs, string message, LogRedactor redactor) =>
        new(message, [.. pairs.Select(p => KeyValuePair.Create(p.Key, redactor.RedactValue(p.Value)))]);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => message;
}

/// <summary>An exception as it prints (type, message, stack frames, inner exceptions), with its secrets masked.</summary>
internal sealed class RedactedException : Exception
{
    private readonly Exception _original;
    private readonly string _text;

    public RedactedException(Exception original, string redactedText, LogRedactor redactor)
        : base(redactor.Redact(original.Message))
    {
        _original = original;
        _text = redactedText;
        HResult = original.HResult;
    }

    public override string? StackTrace => _original.StackTrace;

    public override string ToString() => _text;
}
