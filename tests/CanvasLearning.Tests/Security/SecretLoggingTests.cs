using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using CanvasLearning.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static CanvasLearning.Tests.Api.ApiCalls;
using static CanvasLearning.Tests.Realtime.Wire;

namespace CanvasLearning.Tests.Security;

/// <summary>
/// With <c>Security:ApiKey</c> set and every log category at Trace, the key (and whatever a client sent
/// as <c>access_token</c>) is in no log line: not in the message, not in the structured state a JSON
/// formatter writes, not in scopes or exceptions. The lines themselves stay, with <c>access_token=***</c>.
/// </summary>
public sealed class SecretLoggingTests(ITestOutputHelper output)
{
    private const string Masked = "access_token=***";

    /// <summary>A '+' so that the key in a URL (escaped, %2B) differs from the key itself; both must stay out.</summary>
    private readonly string _key = "cl+key-" + Guid.NewGuid().ToString("N");

    /// <summary>One character off the real key, as a client with a typo sends it: nearly the key, so just as secret.</summary>
    private string WrongKey => _key[..^1] + (_key[^1] == '0' ? '1' : '0');

    [Fact]
    public async Task A_whole_session_with_the_key_on_the_socket_and_as_bearer_logs_neither_key_while_request_lines_stay()
    {
        using var vault = new TestVault(purpleNodes: 3);
        var logs = new LogCapture();
        await using var server = await TestServer.StartAsync(vault, settings: new Dictionary<string, string?>
        {
            ["Security:ApiKey"] = _key,
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Polly"] = "Trace",
        }, configure: services => services.AddSingleton<ILoggerProvider>(logs));
        server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _key);

        var session = await ConfirmAsync(server, vault, vault.NodeIds);
        await AssertRefusedAsync(server, session, (WebSocketCloseStatus)4001, $"?access_token={Uri.EscapeDataString(WrongKey)}");
        await using (var ws = await ConnectAsync(server, session, $"?last_seq=0&access_token={Uri.EscapeDataString(_key)}"))
        {
            var frames = await ReadToCloseAsync(ws, WebSocketCloseStatus.NormalClosure);
            Assert.Contains(frames, f => Type(f) == "session_completed");
        }

        Assert.Equal("completed", Str(await server.Client.WaitForTerminalAsync(session), "status"));
        using (var list = await server.Client.GetPathAsync($"{Base}?page=1&page_size=5"))
        {
            Assert.True(list.IsSuccessStatusCode);
        }

        using (var metrics = await server.Client.GetPathAsync("/metrics"))
        {
            Assert.True(metrics.IsSuccessStatusCode);
        }

        // A request line Kestrel refuses (a bad version): its log line and the exception quote the whole line.
        await SendBadRequestLineAsync(server.BaseAddress, $"/ws/intelligent-parallel/{session}?access_token={_key}");
        try
        {
            await WaitUntilAsync(() => logs.Entries.Any(IsBadRequestLine), "Kestrel's line about the bad request");
            var entries = logs.Entries;
            AssertNoSecret(entries.SelectMany(e => e.Texts()));

            // What the operator still sees: the requests, with the token masked, and the debug lines.
            Assert.Contains(entries, e => e.Category == "CanvasLearning.Realtime.SessionConnection"
                && e.Message.Contains($"/ws/intelligent-parallel/{session}?last_seq=0&{Masked}", StringComparison.Ordinal));
            Assert.Contains(entries, e => e.State.Any(p => p.Key == "QueryString" && p.Value == $"?last_seq=0&{Masked}"));
            Assert.Contains(entries, e => e.Message.Contains($"?{Masked}", StringComparison.Ordinal));
            Assert.Contains(entries, e => e.Level == LogLevel.Debug && e.Category.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
            Assert.Contains(entries, e => e.Exception?.Contains(Masked, StringComparison.Ordinal) == true);
        }
        catch
        {
            output.WriteLine(string.Join(Environment.NewLine, logs.Entries.Select(e => $"{e.Level} {e.Category}[{e.EventId}] {e.Message} {e.Exception}")));
            throw;
        }
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("json")]
    public async Task The_served_program_with_every_log_level_on_never_prints_the_key(string formatter)
    {
        using var vault = new TestVault(purpleNodes: 2);
        using var server = await ChildServer.StartAsync(vault.Root, new Dictionary<string, string>
        {
            ["CANVAS_LEARNING_Security__ApiKey"] = _key,
            ["CANVAS_LEARNING_Logging__LogLevel__Default"] = "Trace",
            ["CANVAS_LEARNING_Logging__LogLevel__Polly"] = "Trace",
            ["CANVAS_LEARNING_Logging__Console__FormatterName"] = formatter,
        });
        try
        {
            server.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _key);
            var session = await server.Client.ConfirmIdAsync(ConfirmBody(vault.CanvasPath, ("oral-explanation", vault.NodeIds.ToArray())));
            await using (var wrong = await WsClient.ConnectAsync(server.BaseAddress, $"/ws/intelligent-parallel/{session}?access_token={Uri.EscapeDataString(WrongKey)}"))
            {
                await wrong.ReceiveAllAsync();
                Assert.Equal((WebSocketCloseStatus)4001, wrong.CloseStatus);
            }

            await using (var ws = await WsClient.ConnectAsync(server.BaseAddress, $"/ws/intelligent-parallel/{session}?access_token={Uri.EscapeDataString(_key)}&last_seq=0"))
            {
                var frames = await ws.ReceiveAllAsync();
                Assert.Contains(frames, f => Type(f) == "session_completed");
            }

            await server.Client.WaitForTerminalAsync(session);
            server.Terminate();
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));

            var text = server.Output;
            AssertNoSecret(text.Split(Environment.NewLine));
            Assert.Contains($"/ws/intelligent-parallel/{session}?{Masked}", text, StringComparison.Ordinal);
            if (formatter == "json")
            {
                Assert.Contains($"\"QueryString\":\"?{Masked}", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            output.WriteLine(server.Output);
        }
    }

    private static bool IsBadRequestLine(CapturedLog entry) =>
        entry.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) && entry.Exception is not null;

    private void AssertNoSecret(IEnumerable<string> texts)
    {
        // As typed, as in a URL, and as the JSON console formatter escapes it.
        foreach (var secret in new[] { _key, WrongKey }.SelectMany(k => new[] { k, Uri.EscapeDataString(k), k.Replace("+", "\\u002B", StringComparison.Ordinal) }))
        {
            var leak = texts.FirstOrDefault(t => t.Contains(secret, StringComparison.OrdinalIgnoreCase));
            Assert.True(leak is null, $"a log line holds a secret: {leak}");
        }
    }

    private static async Task SendBadRequestLineAsync(Uri server, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1x\r\nHost: {server.Authority}\r\n\r\n"));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Within);
        Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
    }
}
