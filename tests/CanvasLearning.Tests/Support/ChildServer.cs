using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace CanvasLearning.Tests.Support;

/// <summary>
/// The real program (<c>canvas-learning serve</c>) in a child process, on a free port of 127.0.0.1. Its
/// standard output and error are kept (<see cref="Output"/>) so a failing test can show what the server did.
/// </summary>
public sealed partial class ChildServer : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ChildServer(Process process, Uri address, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    /// <summary>What the server wrote so far, standard error lines marked <c>err:</c>.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public static Task<ChildServer> StartAsync(string vaultRoot, IDictionary<string, string> environment) =>
        StartAsync(["--vault", vaultRoot], environment);

    /// <summary><c>serve --port 0</c> with <paramref name="serveArgs"/>, started in <paramref name="workingDirectory"/>.</summary>
    public static async Task<ChildServer> StartAsync(IReadOnlyList<string> serveArgs, IDictionary<string, string> environment, string? workingDirectory = null)
    {
        var program = ProgramPath.Dll;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in (string[])[program, "serve", .. serveArgs, "--port", "0"])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                output.Enqueue("err: " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != listening.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the server did not report its address within 60 s");
        }

        return new ChildServer(process, await listening.Task, output);
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine loses power or the OOM killer strikes.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, what a service manager sends: the server shuts down gracefully.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException("kill(SIGTERM) failed");
        }
    }

    public Task<int> WaitForExitAsync(TimeSpan timeout) =>
        _process.WaitForExitAsync().WaitAsync(timeout).ContinueWith(_ => _process.ExitCode, TaskScheduler.Default);

    public Uri BaseAddress => Client.BaseAddress!;

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in the test project; kill(2) takes two ints.
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054

    // The address ends at white space or, with the JSON console formatter, at the closing quote.
    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex ListeningLine();
}
