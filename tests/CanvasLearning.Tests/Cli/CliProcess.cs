using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using CanvasLearning.Tests.Support;

namespace CanvasLearning.Tests.Cli;

/// <summary>
/// <c>canvas-learning</c> as a user runs it: a real child process, its output redirected (so not a
/// terminal: plain lines, no questions), standard output and error kept apart.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _out = new();
    private readonly ConcurrentQueue<string> _err = new();
    private readonly SemaphoreSlim _lines = new(0);

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Add(_out, e.Data);
        process.ErrorDataReceived += (_, e) => Add(_err, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Stdout => [.. _out];

    public IReadOnlyList<string> Stderr => [.. _err];

    public string Output => string.Join(Environment.NewLine, [.. _out, .. _err.Select(l => "err: " + l)]);

    public static CliProcess Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(ProgramPath.Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // A key in the test runner's environment must not leak into a test that expects none.
        info.Environment.Remove("CANVAS_LEARNING_API_KEY");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new CliProcess(Process.Start(info)!);
    }

    /// <summary>Runs to the end: the exit code and what it printed.</summary>
    public static async Task<(int Exit, CliProcess Process)> RunAsync(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var process = Start(args, environment, workingDirectory);
        return (await process.WaitForExitAsync(), process);
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the CLI did not end within {Limit.TotalSeconds} s:{Environment.NewLine}{Output}");
        }

        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Waits until a line of standard output or error contains <paramref name="text"/>.</summary>
    public async Task WaitForLineAsync(string text)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!Printed(text))
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                Assert.True(Printed(text), $"the CLI ended without printing '{text}':{Environment.NewLine}{Output}");
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no line with '{text}' within {Limit.TotalSeconds} s:{Environment.NewLine}{Output}");
            await _lines.WaitAsync(TimeSpan.FromMilliseconds(500));
        }
    }

    private bool Printed(string text) => _out.Concat(_err).Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>SIGINT, what Ctrl+C sends when no terminal reads it as a key.</summary>
    public void Interrupt() => Assert.Equal(0, Kill(_process.Id, 2));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _lines.Dispose();
    }

    private void Add(ConcurrentQueue<string> queue, string? line)
    {
        if (line is not null)
        {
            queue.Enqueue(line);
            _lines.Release();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in the test project; kill(2) takes two ints.
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
