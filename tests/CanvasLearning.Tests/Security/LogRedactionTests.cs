using CanvasLearning.Security;
using CanvasLearning.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CanvasLearning.Tests.Security;

/// <summary>
/// The masking in front of the logger factory, entry by entry: what is masked (tokens, the key as typed
/// and escaped) in which part of an entry (message, state, scopes, exception), and what is left alone.
/// </summary>
public sealed class LogRedactionTests : IDisposable
{
    private const string Key = "unit+key-0123456789abcdef";

    private static readonly Action<ILogger, string, Exception?> Requested =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(1, "Requested"), "Request {Target}");

    private static readonly Action<ILogger, string[], Exception?> Listed =
        LoggerMessage.Define<string[]>(LogLevel.Information, new EventId(2, "Listed"), "Headers {Values}");

    private static readonly Func<ILogger, string, string, IDisposable?> ConnectionScope =
        LoggerMessage.DefineScope<string, string>("Connection {Id} for {Url}");

    private readonly LogCapture _capture = new();
    private readonly ServiceProvider _services;
    private readonly ILogger _logger;

    public LogRedactionTests()
    {
        _services = Build(services => services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)).AddSingleton<ILoggerProvider>(_capture));
        _logger = _services.GetRequiredService<ILoggerFactory>().CreateLogger("test");
    }

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData("GET /ws/s1?access_token=abc&last_seq=3 HTTP/1.1", "GET /ws/s1?access_token=***&last_seq=3 HTTP/1.1")]
    [InlineData("?last_seq=3&ACCESS_TOKEN=abc def", "?last_seq=3&ACCESS_TOKEN=*** def")]
    [InlineData("?access_token=", "?access_token=***")]
    [InlineData("Authorization: Bearer " + Key, "Authorization: Bearer ***")]
    [InlineData("key=unit%2Bkey-0123456789abcdef!", "key=***!")]
    public void Tokens_and_the_key_as_typed_or_escaped_are_masked_and_the_rest_stays(string text, string expected)
    {
        var redactor = new LogRedactor([Key]);

        Assert.Equal(expected, redactor.Redact(text));
    }

    [Fact]
    public void Text_without_a_secret_is_the_same_string_and_placeholder_keys_are_no_secret()
    {
        var redactor = new LogRedactor([Key, "ollama", null, ""]);
        const string text = "POST http://ollama:11434/v1/chat/completions";

        Assert.Same(text, redactor.Redact(text));
        Assert.False(redactor.PrintsSecret(42));
        Assert.False(redactor.PrintsSecret(TimeSpan.FromSeconds(1)));
        Assert.False(redactor.PrintsSecret(null));
        Assert.True(redactor.PrintsSecret(new Uri("http://h/ws?access_token=x")));
    }

    [Fact]
    public void A_message_and_its_structured_values_are_masked_and_a_clean_entry_is_untouched()
    {
        Requested(_logger, $"/ws/s1?access_token={Uri.EscapeDataString(Key)}", null);
        Requested(_logger, "/api/v1/canvas/intelligent-parallel", null);

        var entries = _capture.Entries;
        Assert.Equal("Request /ws/s1?access_token=***", entries[0].Message);
        Assert.Contains(entries[0].State, p => p.Key == "Target" && p.Value == "/ws/s1?access_token=***");
        Assert.Contains(entries[0].State, p => p.Key == "{OriginalFormat}" && p.Value == "Request {Target}");
        Assert.Equal("Request /api/v1/canvas/intelligent-parallel", entries[1].Message);
        Assert.Equal(1, entries[0].EventId);
    }

    [Fact]
    public void The_key_in_a_list_value_is_masked_as_the_message_prints_it()
    {
        Listed(_logger, ["accept: */*", "authorization: Bearer " + Key], null);

        var entry = Assert.Single(_capture.Entries);
        Assert.Equal("Headers accept: */*, authorization: Bearer ***", entry.Message);
        Assert.Contains(entry.State, p => p.Key == "Values" && p.Value == "accept: */*, authorization: Bearer ***");
    }

    [Fact]
    public void An_exception_is_masked_in_its_message_and_inner_exceptions_and_keeps_its_type_and_stack()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("outer", new FormatException($"bad line 'GET /x?access_token={Key} HTTP/1.1x'"));
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        Requested(_logger, "/x", thrown);

        var text = Assert.Single(_capture.Entries).Exception!;
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: outer", text, StringComparison.Ordinal);
        Assert.Contains("System.FormatException: bad line 'GET /x?access_token=*** HTTP/1.1x'", text, StringComparison.Ordinal);
        Assert.Contains(nameof(An_exception_is_masked_in_its_message_and_inner_exceptions_and_keeps_its_type_and_stack), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scopes_of_every_shape_are_masked()
    {
        using (_logger.BeginScope("socket ?access_token=abc"))
        using (_logger.BeginScope(new Dictionary<string, object?> { ["Url"] = "/ws?access_token=abc" }))
        using (ConnectionScope(_logger, "c1", "/ws?access_token=" + Key))
        using (_logger.BeginScope("clean scope"))
        {
            Requested(_logger, "/x", null);
        }

        var scopes = Assert.Single(_capture.Entries).Scopes;
        Assert.Equal(new[] { "socket ?access_token=***", "Url=/ws?access_token=***", "Id=c1, Url=/ws?access_token=***, {OriginalFormat}=Connection {Id} for {Url}", "clean scope" }, scopes);
    }

    [Fact]
    public void A_state_of_its_own_type_is_masked_through_its_formatter()
    {
        _logger.Log(LogLevel.Warning, new EventId(7), new Uri("http://h/ws?access_token=abc"), null, (uri, _) => $"opening {uri}");

        var entry = Assert.Single(_capture.Entries);
        Assert.Equal("opening http://h/ws?access_token=***", entry.Message);
        Assert.Equal(LogLevel.Warning, entry.Level);
    }

    [Fact]
    public void Entries_below_the_level_reach_no_provider()
    {
        using var services = Build(s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddSingleton<ILoggerProvider>(_capture));
        var logger = services.GetRequiredService<ILogger<LogRedactionTests>>();

        Requested(logger, "/ws?access_token=abc", null);

        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.Empty(_capture.Entries);
    }

    [Fact]
    public void A_provider_added_later_gets_masked_entries_too()
    {
        var later = new LogCapture();
        var factory = _services.GetRequiredService<ILoggerFactory>();

        factory.AddProvider(later);
        Requested(factory.CreateLogger("later"), "/ws?access_token=abc", null);

        Assert.Equal("Request /ws?access_token=***", Assert.Single(later.Entries).Message);
        Assert.Same(factory.CreateLogger("later"), factory.CreateLogger("later"));
    }

    [Fact]
    public void A_factory_registered_as_an_instance_is_wrapped_and_left_to_its_owner_to_dispose()
    {
        using var own = new LoggerFactory([_capture]);
        using (var services = Build(s => s.AddSingleton<ILoggerFactory>(own)))
        {
            Requested(services.GetRequiredService<ILoggerFactory>().CreateLogger("x"), "/ws?access_token=abc", null);
        }

        Assert.Equal("Request /ws?access_token=***", Assert.Single(_capture.Entries).Message);
        Assert.NotNull(own.CreateLogger("still usable"));
    }

    [Fact]
    public void A_factory_registered_as_a_factory_is_wrapped_once_however_often_redaction_is_added()
    {
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(_ => new LoggerFactory([_capture]));
        var configuration = Configuration();

        services.AddLogRedaction(configuration).AddLogRedaction(configuration);
        using var provider = services.BuildServiceProvider();
        Requested(provider.GetRequiredService<ILoggerFactory>().CreateLogger("x"), "/ws?access_token=abc", null);

        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(ILoggerFactory)));
        Assert.Equal("Request /ws?access_token=***", Assert.Single(_capture.Entries).Message);
    }

    [Fact]
    public void Without_a_logger_factory_there_is_nothing_to_wrap()
    {
        var services = new ServiceCollection();

        services.AddLogRedaction(Configuration());

        Assert.Empty(services);
    }

    [Fact]
    public void The_model_providers_key_from_its_variable_is_masked_too()
    {
        var variable = "CL_TEST_REDACT_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var modelKey = "sk-model-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, modelKey);
        try
        {
            using var services = Build(
                s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)).AddSingleton<ILoggerProvider>(_capture),
                new() { ["Agents:OpenAI:ApiKeyVariable"] = variable });

            Requested(services.GetRequiredService<ILogger<LogRedactionTests>>(), "sent with " + modelKey, null);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Assert.Equal("Request sent with ***", Assert.Single(_capture.Entries).Message);
    }

    private static ServiceProvider Build(Action<IServiceCollection> register, Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        register(services);
        services.AddLogRedaction(Configuration(settings));
        return services.BuildServiceProvider();
    }

    private static IConfiguration Configuration(Dictionary<string, string?>? settings = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Security:ApiKey"] = Key }.Concat(settings ?? [])).Build();
}
